package isms

import (
	"slices"
	"testing"
	"time"
)

// ruleContext is the active 自治体機密性 scheme with the levels the rules look at.
func ruleContext() RuleContext {
	levels := map[string]Level{}
	for _, l := range []Level{
		{Code: "LGC3A", SchemeCode: "R6", Axis: AxisC, Rank: 5}, {Code: "LGC3B", SchemeCode: "R6", Axis: AxisC, Rank: 4},
		{Code: "LGC3C", SchemeCode: "R6", Axis: AxisC, Rank: 3}, {Code: "LGC2", SchemeCode: "R6", Axis: AxisC, Rank: 2},
		{Code: "LGC1", SchemeCode: "R6", Axis: AxisC, Rank: 1},
		{Code: "LGI2", SchemeCode: "R6", Axis: AxisI, Rank: 2}, {Code: "LGI1", SchemeCode: "R6", Axis: AxisI, Rank: 1},
		{Code: "LGA2", SchemeCode: "R6", Axis: AxisA, Rank: 2}, {Code: "LGA1", SchemeCode: "R6", Axis: AxisA, Rank: 1},
		{Code: "C2", SchemeCode: "R5", Axis: AxisC, Rank: 2},
	} {
		levels[l.Code] = l
	}
	return RuleContext{
		Levels: levels,
		Types: map[string]AssetType{
			"INFO_ELECTRONIC": {Code: "INFO_ELECTRONIC", Electronic: true},
			"INFO_PAPER":      {Code: "INFO_PAPER"},
			AssetTypeMedia:    {Code: AssetTypeMedia, Electronic: true},
			AssetTypeSNS:      {Code: AssetTypeSNS, Electronic: true},
		},
		Scheme: Scheme{Code: "R6", MyNumberMinLevel: "LGC3B"},
	}
}

// clean is an asset that breaks no rule: a tax ledger in the マイナンバー zone, backed up.
func clean() AssetInput {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	hours := 24
	return AssetInput{Name: "住民税課税台帳", Type: "INFO_ELECTRONIC", UnitID: 1, Form: FormElectronic, Zone: ZoneMyNumber,
		C: "LGC3B", I: "LGI2", A: "LGA2", ContainsPersonal: true, ContainsMyNumber: true,
		BackupPolicy: "日次で庁外に保管", RecoveryHours: &hours, ClassifiedAt: &day, ReviewDue: &day, Status: AssetInUse}
}

func codes(fs Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code+"@"+f.Field)
	}
	return out
}

func TestCheckAssetRules(t *testing.T) {
	if fs := CheckAsset(clean(), ruleContext()); len(fs) != 0 {
		t.Fatalf("a clean asset breaks %v", codes(fs))
	}
	for _, tc := range []struct {
		name   string
		change func(*AssetInput, *RuleContext)
		want   []string
		block  bool
	}{
		{"levels missing", func(in *AssetInput, _ *RuleContext) { in.C, in.A = "", "LGI2" },
			[]string{"V-A1@confidentiality", "V-A1@availability"}, true},
		{"a level of the old scheme", func(in *AssetInput, _ *RuleContext) { in.C = "C2" }, []string{"V-A1@confidentiality"}, true},
		{"My Number in the LGWAN zone", func(in *AssetInput, _ *RuleContext) { in.Zone = ZoneLGWAN }, []string{"Z-1@zone"}, true},
		{"My Number below 3B", func(in *AssetInput, _ *RuleContext) { in.C = "LGC3C" }, []string{"Z-2@confidentiality"}, true},
		{"electronic without a zone", func(in *AssetInput, _ *RuleContext) { in.ContainsMyNumber, in.Zone = false, "" },
			[]string{"Z-3@zone"}, true},
		{"paper needs no zone", func(in *AssetInput, _ *RuleContext) {
			in.Type, in.Form, in.Zone, in.ContainsMyNumber = "INFO_PAPER", FormPaper, "", false
		}, nil, false},
		{"availability 2 without recovery time", func(in *AssetInput, _ *RuleContext) { in.RecoveryHours = nil },
			[]string{"V-A5@backup_policy"}, false},
		{"integrity 2 without backup", func(in *AssetInput, _ *RuleContext) { in.BackupPolicy, in.A = "", "LGA1" },
			[]string{"V-A6@backup_policy"}, false},
		{"a social-media account at 2", func(in *AssetInput, _ *RuleContext) {
			in.Type, in.ContainsMyNumber, in.ContainsPersonal, in.Zone, in.C = AssetTypeSNS, false, false, ZoneInternet, "LGC2"
		}, []string{"V-A7@confidentiality"}, true},
		{"a medium below its contents", func(in *AssetInput, rc *RuleContext) {
			in.Type, in.C, in.A = AssetTypeMedia, "LGC3A", "LGA1"
			rc.ContentMax = map[Axis]int{AxisC: 5, AxisI: 2, AxisA: 2}
		}, []string{"V-A4@content_ids"}, true},
		// clean() is 3B (rank 4): a service must be approved for 3B or above.
		{"a service approved for 3B", func(_ *AssetInput, rc *RuleContext) {
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceExternalService, 1}, ApprovedRank: 4}
		}, nil, false},
		{"a service approved for 3C only", func(_ *AssetInput, rc *RuleContext) {
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceExternalService, 1}, ApprovedRank: 3}
		}, []string{"V-S1@outsourced_to"}, true},
		{"a service not approved", func(_ *AssetInput, rc *RuleContext) {
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceExternalService, 1}}
		}, []string{"V-S1@outsourced_to"}, true},
		{"level 1 in a service not approved", func(in *AssetInput, rc *RuleContext) {
			in.C, in.ContainsMyNumber, in.ContainsPersonal = "LGC1", false, false
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceExternalService, 1}}
		}, nil, false},
		{"level 2 in a social media account", func(in *AssetInput, rc *RuleContext) {
			in.C, in.ContainsMyNumber, in.ContainsPersonal = "LGC2", false, false
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceSocialAccount, 1}}
		}, []string{"V-S2@outsourced_to"}, true},
		{"level 1 in a social media account", func(in *AssetInput, rc *RuleContext) {
			in.C, in.ContainsMyNumber, in.ContainsPersonal = "LGC1", false, false
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceSocialAccount, 1}}
		}, nil, false},
		{"3B with a contractor", func(_ *AssetInput, rc *RuleContext) {
			rc.Outsourced = OutsourceTarget{OutsourcedTo: OutsourcedTo{OutsourceContract, 1}}
		}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, rc := clean(), ruleContext()
			tc.change(&in, &rc)
			fs := CheckAsset(in, rc)
			if got := codes(fs); !slices.Equal(got, tc.want) || fs.Blocking() != tc.block {
				t.Errorf("findings %v (blocking %v), want %v (blocking %v)", got, fs.Blocking(), tc.want, tc.block)
			}
		})
	}
}

// A 例外措置 turns a blocking break into a tracked flag; warnings are flags too.
func TestFindingsWithException(t *testing.T) {
	in, rc := clean(), ruleContext()
	in.Zone, in.RecoveryHours = ZoneLGWAN, nil
	fs := CheckAsset(in, rc)
	if !fs.Blocking() || fs.Errors()["zone"] != "rule.Z-1" || !slices.Equal(fs.Flags(), []string{"V-A5"}) {
		t.Fatalf("without exception: blocking %v, errors %v, flags %v", fs.Blocking(), fs.Errors(), fs.Flags())
	}
	rc.Exceptions = map[string]bool{"Z-1": true}
	fs = CheckAsset(in, rc)
	if fs.Blocking() || len(fs.Errors()) != 0 || !slices.Equal(fs.Flags(), []string{"V-A5", "Z-1"}) {
		t.Errorf("with exception: blocking %v, errors %v, flags %v", fs.Blocking(), fs.Errors(), fs.Flags())
	}
}

func TestParseOutsourcedTo(t *testing.T) {
	for in, want := range map[string]OutsourcedTo{
		"": {}, "contract:12": {OutsourceContract, 12}, "external_service:3": {OutsourceExternalService, 3},
		"social_account:5": {OutsourceSocialAccount, 5},
	} {
		if got, ok := ParseOutsourcedTo(in); !ok || got != want || got.String() != in {
			t.Errorf("ParseOutsourcedTo(%q) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"contract", "contract:", "contract:0", "contract:-1", "vendor:1", "contract:x"} {
		if _, ok := ParseOutsourcedTo(bad); ok {
			t.Errorf("ParseOutsourcedTo(%q) accepted", bad)
		}
	}
}

func TestReviewDueDefaultIsFiscalYearEnd(t *testing.T) {
	for in, want := range map[string]string{"2026-04-01": "2027-03-31", "2027-03-31": "2027-03-31", "2026-11-25": "2027-03-31"} {
		d, _ := time.Parse(time.DateOnly, in)
		if got := ReviewDueDefault(d).Format(time.DateOnly); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
