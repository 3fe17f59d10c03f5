// Package demo fills an empty portal with a fictional town, みどり町, shaped like the scope of the
// basic policy (§4(1)): the nine scope units with their 課 and 係, about 150 people, and every
// security role of the guideline held by someone, so that a newcomer sees a living portal. Two
// gaps are left on purpose for the warnings to show. Everything is written through the stores,
// as the system actor "seed", so every row has its audit-trail event.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// ErrNotEmpty refuses a load into an organisation that already has units or people: the demo
// never mixes with real data and is never loaded twice.
var ErrNotEmpty = isms.Errorf(isms.ECONFLICT,
	"the organisation already has units or people; the demo town is loaded only into an empty one")

// Summary is what a load created.
type Summary struct {
	Town        string
	Units       int
	People      int
	Assignments int
	Sessions    int            // training sessions held
	Rosters     int            // units whose attendance was recorded
	Warnings    []isms.Warning // the organisation's warnings on the day of the load
	Took        time.Duration
}

// orgStart is the day from which the demo organisation exists.
var orgStart = time.Date(2020, time.April, 1, 0, 0, 0, 0, time.UTC)

// Seed loads the demo town into an empty organisation. The units exist from 2020-04-01; the
// roles are held from 1 April of the fiscal year containing today; 会計年度任用職員 and
// contractors serve until its 31 March. A non-empty organisation is ErrNotEmpty and nothing
// changes.
func Seed(ctx context.Context, db *postgres.DB, today time.Time) (Summary, error) {
	start := time.Now()
	actor := isms.SystemActor("seed")
	day := isms.Day(today)
	fy := day.Year()
	if day.Month() < time.April {
		fy--
	}
	fyStart := time.Date(fy, time.April, 1, 0, 0, 0, 0, time.UTC)
	fyEnd := time.Date(fy+1, time.March, 31, 0, 0, 0, 0, time.UTC)
	org := orgStart
	if fyStart.Before(org) {
		org = fyStart
	}

	existing, err := db.FindUnits(ctx)
	if err != nil {
		return Summary{}, err
	}
	if len(existing) > 0 {
		return Summary{}, ErrNotEmpty
	}
	// A person is always posted to a unit, so no units means no people; asked all the same.
	if _, n, _, err := db.FindPeople(ctx, actor, isms.PersonFilter{Day: day, Limit: 1}); err != nil {
		return Summary{}, err
	} else if n > 0 {
		return Summary{}, ErrNotEmpty
	}

	s := Summary{Town: Town}
	unitIDs := make(map[string]int64, len(units))
	for _, u := range units {
		created, err := db.CreateUnit(ctx, actor, isms.UnitInput{Code: u.code, Name: u.name, NameKana: u.kana,
			Type: u.typ, ParentID: unitIDs[u.parent], InScope: !u.outOfScope, ValidFrom: &org})
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok && ve.Fields["code"] != "" && s.Units == 0 {
			// Another process loading at the same moment took the first code: it wins.
			return Summary{}, ErrNotEmpty
		}
		if err != nil {
			return s, fmt.Errorf("demo: unit %s %s: %w", u.code, u.name, err)
		}
		unitIDs[u.code] = created.ID
		s.Units++
	}

	people := newPeople(day, fyStart, fyEnd, org)
	personIDs := make(map[string]int64)
	for _, st := range staff {
		for _, in := range people.post(st) {
			in.input.UnitID = unitIDs[st.unit]
			p, err := db.CreatePerson(ctx, actor, in.input)
			if err != nil {
				return s, fmt.Errorf("demo: person %s: %w", in.input.Name, err)
			}
			if in.key != "" {
				personIDs[in.key] = p.ID
			}
			s.People++
		}
	}

	for _, r := range roles {
		in := isms.AssignmentInput{PersonID: personIDs[r.key], RoleCode: r.role, UnitID: unitIDs[r.unit],
			ValidFrom: &fyStart, Note: r.note}
		if _, err := db.CreateAssignment(ctx, actor, in); err != nil {
			return s, fmt.Errorf("demo: %s for %s: %w", r.role, r.key, err)
		}
		s.Assignments++
	}

	if s.Sessions, s.Rosters, err = seedTraining(ctx, db, actor, fy, fyStart, day, unitIDs); err != nil {
		return s, err
	}
	if s.Warnings, err = db.FindWarnings(ctx, day); err != nil {
		return s, err
	}
	s.Took = time.Since(start)
	return s, nil
}

// seedBasicPolicy puts the basic policy in the library and publishes its first version, approved
// by the committee at its March meeting and in force from the fiscal year's first day: the
// version every member of staff is asked to confirm.
func seedBasicPolicy(ctx context.Context, db *postgres.DB, actor isms.Actor, fyStart time.Time) error {
	doc, err := db.CreatePolicyDocument(ctx, actor, isms.PolicyDocumentInput{Kind: "basic_policy",
		Title: "みどり町情報セキュリティ基本方針", Visibility: isms.VisibilityPublic, ReviewMonths: 12,
		MustAcknowledge: true})
	if err != nil {
		return fmt.Errorf("demo: basic policy: %w", err)
	}
	draft, err := db.CreateDraft(ctx, actor, doc.ID, isms.DocumentVersionInput{Label: "施行版",
		ChangeSummary: "情報セキュリティ基本方針 (全職員等が遵守)",
		Body: "# 1. 目的\n本基本方針は、本町が保有する情報資産の機密性、完全性及び可用性を維持するため、" +
			"本町が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。\n\n" +
			"# 2. 定義\n## (1) ネットワーク\nコンピュータ等を相互に接続するための通信網及びその構成機器をいう。\n\n" +
			"# 3. 職員等の遵守義務\n職員等は、情報セキュリティの重要性について共通の認識を持ち、業務の遂行に当たって" +
			"情報セキュリティポリシー及び情報セキュリティ実施手順を遵守しなければならない。"})
	if err != nil {
		return fmt.Errorf("demo: basic policy draft: %w", err)
	}
	if draft, err = db.SubmitVersion(ctx, actor, doc.ID, draft.ID, draft.Version); err != nil {
		return fmt.Errorf("demo: basic policy submission: %w", err)
	}
	meeting := fyStart.AddDate(0, 0, -14)
	if draft, err = db.ApproveVersion(ctx, actor, doc.ID, draft.ID, isms.PolicyApproval{ByCommittee: true,
		MeetingOn: &meeting, Version: draft.Version}); err != nil {
		return fmt.Errorf("demo: basic policy approval: %w", err)
	}
	if _, err := db.PublishVersion(ctx, actor, doc.ID, draft.ID, isms.PolicyPublication{EffectiveOn: &fyStart,
		Version: draft.Version}); err != nil {
		return fmt.Errorf("demo: basic policy publication: %w", err)
	}
	return nil
}

// seedTraining gives the year a training plan and the basic policy a version to confirm, and,
// when its day has come, holds the all-staff course in June with two in three of each unit's
// people attending, so that the training pages have figures to show: the last third are the
// 未受講者 that the unit pages list.
func seedTraining(ctx context.Context, db *postgres.DB, actor isms.Actor, fy int, fyStart, day time.Time, unitIDs map[string]int64) (sessions, rosters int, err error) {
	if _, err := db.SaveTrainingPlan(ctx, actor, isms.PlanInput{FiscalYear: fy, Items: []isms.PlanItemInput{
		{CourseCode: "GEN_ANNUAL", Months: []int{6}, Method: isms.MethodClassroom},
		{CourseCode: "NEW_HIRE", Months: []int{4}, Method: isms.MethodClassroom},
		{CourseCode: "PHISHING_DRILL", Months: []int{10}, Method: isms.MethodExercise},
		{CourseCode: "MYNUMBER", Months: []int{9}, Method: isms.MethodELearning},
	}}); err != nil {
		return 0, 0, fmt.Errorf("demo: training plan: %w", err)
	}
	if err := seedBasicPolicy(ctx, db, actor, fyStart); err != nil {
		return 0, 0, err
	}
	held := fyStart.AddDate(0, 2, 9) // 10 June
	if held.After(day) {
		return 0, 0, nil
	}
	session, err := db.CreateSession(ctx, actor, isms.SessionInput{CourseCode: "GEN_ANNUAL", Title: "情報セキュリティ研修 (全職員)",
		HeldOn: &held, Method: isms.MethodClassroom, Provider: "総務課"})
	if err != nil {
		return 0, 0, fmt.Errorf("demo: training session: %w", err)
	}
	for _, u := range units {
		roster, err := db.FindRoster(ctx, actor, session.ID, unitIDs[u.code])
		if err != nil {
			return 0, 0, fmt.Errorf("demo: roster of %s: %w", u.name, err)
		}
		var entries []isms.RosterEntry
		for i, line := range roster {
			entries = append(entries, isms.RosterEntry{PersonID: line.Person.ID, Completed: i%3 != 2})
		}
		if len(entries) == 0 {
			continue
		}
		if _, err := db.SaveRoster(ctx, actor, session.ID, unitIDs[u.code], entries); err != nil {
			return 0, 0, fmt.Errorf("demo: attendance of %s: %w", u.name, err)
		}
		rosters++
	}
	return 1, rosters, nil
}

// posting is one person to create, with the key the roles name them by ("" for none).
type posting struct {
	key   string
	input isms.PersonInput
}

// people hands out names, employee numbers and extensions in order, so that a load is the same
// every time for the same day.
type people struct {
	n                        int // names given so far
	numbers                  map[isms.EmploymentType]int
	ext                      int
	fyStart, fyEnd, org, day time.Time
	halfStart, halfEnd       time.Time // the half-year a 臨時職員 is engaged for
	hired                    int       // regular staff without a key so far, to spread their start
}

func newPeople(day, fyStart, fyEnd, org time.Time) *people {
	p := &people{numbers: map[isms.EmploymentType]int{}, ext: 200, fyStart: fyStart, fyEnd: fyEnd, org: org, day: day}
	// 臨時職員 are engaged for six months at a time: April–September or October–March.
	october := fyStart.AddDate(0, 6, 0)
	p.halfStart, p.halfEnd = fyStart, october.AddDate(0, 0, -1)
	if !day.Before(october) {
		p.halfStart, p.halfEnd = october, fyEnd
	}
	return p
}

// post returns the people of one unit's staffing: the named posts first, then the others.
func (p *people) post(st staffing) []posting {
	var list []posting
	for _, key := range st.named {
		emp := isms.EmploymentRegular
		if k, ok := strings.CutPrefix(key, "c:"); ok {
			key, emp = k, isms.EmploymentContractor
		}
		list = append(list, posting{key, p.person(emp, true)})
	}
	for _, c := range []struct {
		emp isms.EmploymentType
		n   int
	}{{isms.EmploymentRegular, st.regular}, {isms.EmploymentFiscalYear, st.fiscalYear},
		{isms.EmploymentTemporary, st.temporary}, {isms.EmploymentContractor, st.contractor}} {
		for range c.n {
			list = append(list, posting{"", p.person(c.emp, false)})
		}
	}
	return list
}

func (p *people) person(emp isms.EmploymentType, named bool) isms.PersonInput {
	surname, given := personName(p.n)
	p.n++
	p.numbers[emp]++
	seq := p.numbers[emp]
	in := isms.PersonInput{
		Name:       surname.kanji + " " + given.kanji,
		NameKana:   surname.kana + " " + given.kana,
		Employment: emp,
		Email:      given.roma + "." + surname.roma + "@" + townDomain,
	}
	switch emp {
	case isms.EmploymentRegular:
		// Staff with a role have served since the organisation began; the others joined over the
		// years, one in nine of them this spring.
		from := p.org
		if !named {
			p.hired++
			if y := p.fyStart.AddDate(-(p.hired % 9), 0, 0); y.After(from) {
				from = y
			}
		}
		in.EmployeeNo = fmt.Sprintf("%02d%04d", from.Year()%100, seq)
		in.ValidFrom = &from
	case isms.EmploymentFiscalYear:
		in.EmployeeNo = fmt.Sprintf("K%04d", seq)
		in.ValidFrom, in.ValidTo = &p.fyStart, &p.fyEnd
	case isms.EmploymentTemporary:
		in.EmployeeNo = fmt.Sprintf("T%04d", seq)
		in.ValidFrom, in.ValidTo = &p.halfStart, &p.halfEnd
	case isms.EmploymentContractor:
		// Contractors' staff work under a contract for the fiscal year and write from their firm.
		in.EmployeeNo = fmt.Sprintf("C%04d", seq)
		in.ValidFrom, in.ValidTo = &p.fyStart, &p.fyEnd
		in.Email = given.roma + "." + surname.roma + "@" + vendorDomain
	}
	p.ext++
	in.Phone = fmt.Sprint(p.ext)
	return in
}
