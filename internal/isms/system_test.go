package isms

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// systemInput is a system that breaks nothing: the tax system in the マイナンバー zone with MFA
// and USB blocking.
func systemInput() SystemInput {
	return SystemInput{Code: "SYS-001", Name: "税務システム", UnitID: 1, Zone: ZoneMyNumber, Hosting: HostingGovCloud,
		MFAEnabled: true, USBBlockEnabled: true}
}

func TestSystemInputValidate(t *testing.T) {
	if fe := systemInput().Validate(); len(fe) != 0 {
		t.Fatalf("a valid system: %v", fe)
	}
	from, to := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	zero := 0
	in := SystemInput{Zone: "DMZ", Hosting: "basement", Sanitization: "magic", ContractFrom: &from, ContractTo: &to,
		RecoveryHours: &zero, Location: strings.Repeat("庁", 201)}
	want := FieldErrors{"code": "validation.required", "name": "validation.required", "unit_id": "validation.choose",
		"zone": "validation.choose", "hosting": "validation.choose", "sanitization_method": "validation.choose",
		"contract_to": "validation.period", "recovery_hours": "system.error.recovery_hours",
		"location": "system.error.too_long_200"}
	if got := in.Validate(); len(got) != len(want) {
		t.Errorf("errors %v, want %v", got, want)
	} else {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %q, want %q", k, got[k], v)
			}
		}
	}
}

func TestSystemNormalizeMarksMyNumberAsPersonal(t *testing.T) {
	in := SystemInput{Code: "  SYS-9 ", Name: " 住民記録システム\n", HandlesMyNumber: true}
	in.Normalize()
	if in.Code != "SYS-9" || in.Name != "住民記録システム" || !in.HandlesPersonal {
		t.Errorf("normalised: %+v", in)
	}
}

// Z-4: a system in the マイナンバー zone without MFA or USB blocking is flagged 要確認, never
// refused; a current 例外措置 takes the flag away; other zones are not concerned.
func TestCheckSystemMyNumberZone(t *testing.T) {
	for _, tc := range []struct {
		name       string
		change     func(*SystemInput)
		exceptions map[string]bool
		flags      []string
	}{
		{"both controls", func(*SystemInput) {}, nil, []string{}},
		{"no MFA", func(in *SystemInput) { in.MFAEnabled = false }, nil, []string{"Z-4"}},
		{"no USB blocking", func(in *SystemInput) { in.USBBlockEnabled = false }, nil, []string{"Z-4"}},
		{"excepted", func(in *SystemInput) { in.MFAEnabled = false }, map[string]bool{"Z-4": true}, []string{}},
		{"another exception", func(in *SystemInput) { in.MFAEnabled = false }, map[string]bool{"Z-1": true}, []string{"Z-4"}},
		{"LGWAN zone", func(in *SystemInput) { in.Zone, in.MFAEnabled, in.USBBlockEnabled = ZoneLGWAN, false, false }, nil, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := systemInput()
			tc.change(&in)
			fs := CheckSystem(in, tc.exceptions)
			if fs.Blocking() || len(fs.Errors()) != 0 || !slices.Equal(fs.Flags(), tc.flags) {
				t.Errorf("blocking %v, errors %v, flags %v; want flags %v", fs.Blocking(), fs.Errors(), fs.Flags(), tc.flags)
			}
		})
	}
}

func TestSystemEditor(t *testing.T) {
	for role, want := range map[Role]bool{RoleStaff: true, RoleSecurityOffice: true, RoleCISO: false, RoleAuditor: false, RoleSystemAdmin: false} {
		if got := SystemEditor(Actor{UserID: 1, Role: role}); got != want {
			t.Errorf("%s: %v, want %v", role, got, want)
		}
	}
}
