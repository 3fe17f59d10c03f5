package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// The bulk register: `isms seed bulk --assets N` fills the demo town's registers with N generated
// assets and a system register, to see the portal at the scale of a large register and to
// measure it (`make bench`). The shares follow a town's business: most assets are information
// in electronic form or on paper; the tax, resident, welfare and insurance units keep 特定個人情報
// in the マイナンバー利用事務系 at 自治体機密性3B; most electronic assets sit in the LGWAN接続系,
// some in the インターネット接続系. Every asset passes the register's rules (isms.CheckAsset) as
// a save would, and about 3% are left without the backup their 完全性2 or 可用性2 requires, so
// they carry the 要確認 flag that the rules give. The load is a fixed sequence for a given seed.

// ErrNotDemoTown refuses a bulk load into an organisation that is not the demo town: generated
// assets never mix with a real register.
var ErrNotDemoTown = isms.Errorf(isms.ECONFLICT,
	"the organisation is not the demo town; generated assets are loaded only into the demo town or an empty organisation")

// BulkOptions say what to generate.
type BulkOptions struct {
	Assets int       // how many assets; required
	Today  time.Time // the day of the load: review dates fall in its fiscal year
	Seed   uint64    // the generator's seed; 0 means 1
}

// FlaggedShare is the share of generated assets that break a rule as a warning (要確認).
const FlaggedShare = 0.03

// BulkSummary is what a bulk load made: the counts, also recorded in the one audit event.
type BulkSummary struct {
	Town          string         `json:"town"`
	DemoLoaded    bool           `json:"demo_loaded"` // the organisation was empty and the demo town was loaded first
	Units         int            `json:"units"`       // units that received assets
	Systems       int            `json:"systems"`
	SystemsReused int            `json:"systems_reused,omitempty"` // systems of an earlier bulk load, kept
	Assets        int            `json:"assets"`
	ByType        map[string]int `json:"by_type"`
	ByZone        map[string]int `json:"by_zone"` // "none" for paper kept outside any zone
	ByStatus      map[string]int `json:"by_status"`
	MyNumber      int            `json:"my_number"`
	Personal      int            `json:"personal"`
	Flagged       int            `json:"flagged"`
	Seed          uint64         `json:"seed"`
	// Registers is what the load added to the other registers: people, training, incidents and the rest.
	Registers postgres.BulkTownResult `json:"registers"`

	IndexesRebuilt       int           `json:"-"`
	Took                 time.Duration `json:"-"`
	Copy, Index, Analyze time.Duration `json:"-"`
	TownTook             time.Duration `json:"-"`
}

// The town's other registers at the scale of a million assets (BulkScale), proportionally less
// for a smaller load (never below the minimum): a town whose staff of about 4,000 keep a register
// of that size reports about a thousand incidents a year, uses a few hundred external services and
// has about a thousand transports, provisions and disposals waiting for a 管理者 at any time.
const (
	BulkScale          = 1_000_000
	bulkPeople         = 4_000
	bulkIncidents      = 5_000 // over five years
	bulkServices       = 300
	bulkRequests       = 1_000
	bulkMinPeople      = 60
	bulkMinIncidents   = 30
	bulkMinServices    = 6
	bulkMinRequests    = 6
	bulkSeedPersonName = 1000 // the bulk's people are named from this index of personName on
)

// scaled is full at BulkScale assets, proportionally less for fewer, and at least least.
func scaled(full, least, assets int) int {
	return max(least, int(int64(full)*int64(assets)/BulkScale))
}

// Bulk loads a generated register into the demo town; an empty organisation gets the demo town
// first (Seed). Any other organisation is ErrNotDemoTown and nothing changes. The whole register
// is written in one transaction with one audit event (seed.bulk); see postgres.BulkLoadRegister.
func Bulk(ctx context.Context, db *postgres.DB, opts BulkOptions) (BulkSummary, error) {
	start := time.Now()
	if opts.Assets <= 0 {
		return BulkSummary{}, isms.Errorf(isms.EINVALID, "say how many assets to generate")
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	s := BulkSummary{Town: Town, Seed: opts.Seed, ByType: map[string]int{}, ByZone: map[string]int{}, ByStatus: map[string]int{}}
	units, err := db.FindUnits(ctx)
	if err != nil {
		return s, err
	}
	if len(units) == 0 {
		if _, err := Seed(ctx, db, opts.Today); err != nil {
			return s, err
		}
		s.DemoLoaded = true
		if units, err = db.FindUnits(ctx); err != nil {
			return s, err
		}
	} else if !IsDemoTown(units) {
		return s, ErrNotDemoTown
	}
	scheme, err := db.FindActiveScheme(ctx)
	if err != nil {
		return s, err
	}
	levels, err := db.FindLevels(ctx)
	if err != nil {
		return s, err
	}
	types, err := db.FindAssetTypes(ctx)
	if err != nil {
		return s, err
	}
	g, err := newGenerator(opts, units, scheme, levels, types, &s)
	if err != nil {
		return s, err
	}
	town := g.town(units, opts)
	town.Done = func(r postgres.BulkTownResult) { s.Registers = r }
	res, err := db.BulkLoadRegister(ctx, isms.SystemActor("seed"), postgres.BulkLoad{
		Systems:   g.systemInputs(),
		Contracts: g.contractInputs(), FiscalYearStart: g.fyStart,
		Assets:  g.assets,
		Town:    &town,
		Summary: func() any { return s },
	})
	if err != nil {
		return s, err
	}
	s.Systems, s.SystemsReused = res.Systems, res.SystemsReused
	s.IndexesRebuilt, s.Copy, s.Index, s.Analyze, s.TownTook = res.IndexesRebuilt, res.Copy, res.Index, res.Analyze, res.TownTook
	s.Took = time.Since(start)
	return s, nil
}

// IsDemoTown reports whether every unit of the organisation is one of the demo town's, by code
// and name: the test of "not a real organisation" that a bulk load asks.
func IsDemoTown(existing []isms.Unit) bool {
	demo := make(map[string]string, len(units))
	for _, u := range units {
		demo[u.code] = u.name
	}
	for _, u := range existing {
		if name, ok := demo[u.Code]; !ok || name != u.Name {
			return false
		}
	}
	return len(existing) > 0
}

// target is a unit that receives assets, with its profile and systems.
type target struct {
	profile
	id      int64
	name    string
	systems []int // indexes into generator.systems
}

// generator makes the assets one by one, deterministically for a seed.
type generator struct {
	r       *rand.Rand
	today   time.Time
	fyStart time.Time
	fyEnd   time.Time
	targets []target
	weights []int // cumulative unit weights
	systems []genSystem
	// contractIDs are the contracts of each unit with each vendor, once created.
	contractIDs map[postgres.BulkContract]int64
	scheme      isms.Scheme
	rc          isms.RuleContext
	level       map[isms.Axis]map[int]string // level code by axis and rank, in the active scheme
	maxRank     map[isms.Axis]int
	special     int // the rank 特定個人情報 and 要配慮個人情報 are classified at (the scheme's minimum for My Number)
	personal    int // the rank of other personal information
	typeCum     [2][]int
	n, made     int
	summary     *BulkSummary
}

// genSystem is a system to create, with its code and (once created) id.
type genSystem struct {
	systemSpec
	code   string
	unitID int64
	id     int64
}

func newGenerator(opts BulkOptions, units []isms.Unit, scheme isms.Scheme, levels map[string]isms.Level,
	types []isms.AssetType, s *BulkSummary) (*generator, error) {
	day := isms.Day(opts.Today)
	fy := day.Year()
	if day.Month() < time.April {
		fy--
	}
	g := &generator{
		r:       rand.New(rand.NewPCG(opts.Seed, 0x15a5)),
		today:   day,
		fyStart: time.Date(fy, time.April, 1, 0, 0, 0, 0, time.UTC),
		fyEnd:   time.Date(fy+1, time.March, 31, 0, 0, 0, 0, time.UTC),
		scheme:  scheme,
		n:       opts.Assets,
		summary: s,
		level:   map[isms.Axis]map[int]string{},
		maxRank: map[isms.Axis]int{},
	}
	g.rc = isms.RuleContext{Levels: levels, Types: map[string]isms.AssetType{}, Scheme: scheme}
	for _, t := range types {
		g.rc.Types[t.Code] = t
	}
	for _, l := range scheme.Levels {
		if g.level[l.Axis] == nil {
			g.level[l.Axis] = map[int]string{}
		}
		g.level[l.Axis][l.Rank] = l.Code
		g.maxRank[l.Axis] = max(g.maxRank[l.Axis], l.Rank)
	}
	if len(g.level[isms.AxisC]) == 0 || len(g.level[isms.AxisI]) == 0 || len(g.level[isms.AxisA]) == 0 {
		return nil, fmt.Errorf("demo: the active scheme %s has no levels", scheme.Code)
	}
	g.special = levels[scheme.MyNumberMinLevel].Rank
	g.personal = max(isms.ThresholdRank, g.special-1)

	open := map[string]isms.Unit{}
	for _, u := range units {
		if u.Contains(day) {
			open[u.Code] = u
		}
	}
	byCode := map[string]int{}
	for _, p := range profiles {
		u, ok := open[p.code]
		if !ok {
			continue
		}
		byCode[p.code] = len(g.targets)
		g.targets = append(g.targets, target{profile: p, id: u.ID, name: u.Name})
	}
	if len(g.targets) == 0 {
		return nil, fmt.Errorf("demo: none of the demo town's units is open on %s", day.Format(time.DateOnly))
	}
	sum := 0
	for _, t := range g.targets {
		sum += t.weight
		g.weights = append(g.weights, sum)
	}
	seq := map[string]int{}
	for _, sp := range systemSpecs {
		i, ok := byCode[sp.unit]
		if !ok {
			continue
		}
		seq[sp.unit]++
		g.targets[i].systems = append(g.targets[i].systems, len(g.systems))
		g.systems = append(g.systems, genSystem{systemSpec: sp, code: fmt.Sprintf("SYS-%s-%02d", sp.unit, seq[sp.unit]),
			unitID: g.targets[i].id})
	}
	for k, cum := range []*[]int{&g.typeCum[0], &g.typeCum[1]} {
		sum := 0
		for _, tw := range typeWeights {
			if k == 0 {
				sum += tw.weight
			} else {
				sum += tw.techWeight
			}
			*cum = append(*cum, sum)
		}
	}
	return g, nil
}

// systemInputs are the systems of the register, described as their 主管課 would.
func (g *generator) systemInputs() []isms.SystemInput {
	var list []isms.SystemInput
	for i, s := range g.systems {
		from := time.Date(g.fyStart.Year()-1-i%4, time.April, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(5, 0, -1)
		replace := to.AddDate(0, 0, 1)
		hours := recoveryHours[i%len(recoveryHours)]
		in := isms.SystemInput{
			Code: s.code, Name: s.name, Business: s.business, UnitID: s.unitID, Zone: s.zone, Hosting: s.hosting,
			StandardSystem: s.standard, HandlesMyNumber: s.myNumber, HandlesPersonal: s.personal,
			VendorDev: vendors[i%len(vendors)], VendorOps: vendors[(i+1)%len(vendors)], VendorMaint: vendors[i%len(vendors)],
			ContractFrom: &from, ContractTo: &to, ReplacementDue: &replace,
			Location: map[isms.Hosting]string{isms.HostingOnPremises: "本庁舎2階 サーバ室", isms.HostingDataCenter: "委託先データセンター",
				isms.HostingGovCloud: "ガバメントクラウド", isms.HostingLGWANASP: "LGWAN-ASP事業者", isms.HostingPublicCloud: "パブリッククラウド"}[s.hosting],
			AuthMethod: "ID・パスワード", Sanitization: s.sanitization, Backup: backupsDigital[i%len(backupsDigital)],
			RecoveryHours: &hours, SeismicFixing: s.hosting == isms.HostingOnPremises,
		}
		if s.zone == isms.ZoneMyNumber {
			// Two factors and USB blocking, as the guideline requires; the コンビニ交付 terminal
			// has no USB blocking yet, and its system carries the 要確認 flag (Z-4).
			in.AuthMethod = "ID・パスワード＋生体認証（多要素認証）"
			in.MFAEnabled = true
			in.USBBlockEnabled = !strings.Contains(s.name, "コンビニ")
		}
		list = append(list, in)
	}
	return list
}

// town is the rest of the town beside the register: its people, posted to every open unit of the
// scope (at least one each, the others by the unit's share of the register), and the sizes of
// the other registers. The people are drawn from a generator of their own, so that the register
// is the same with or without them.
func (g *generator) town(units []isms.Unit, opts BulkOptions) postgres.BulkTown {
	r := rand.New(rand.NewPCG(opts.Seed, 0x70e1))
	weight := map[int64]int{}
	for _, t := range g.targets {
		weight[t.id] = t.weight
	}
	var open []isms.Unit
	sum := 0
	for _, u := range units {
		if u.InScope && u.Contains(g.today) {
			open = append(open, u)
			sum += max(weight[u.ID], 1)
		}
	}
	n := scaled(bulkPeople, bulkMinPeople, opts.Assets)
	town := postgres.BulkTown{Today: g.today, Seed: opts.Seed,
		Incidents: scaled(bulkIncidents, bulkMinIncidents, opts.Assets),
		Services:  scaled(bulkServices, bulkMinServices, opts.Assets),
		Requests:  scaled(bulkRequests, bulkMinRequests, opts.Assets)}
	if len(open) == 0 {
		return town
	}
	spare := max(n-len(open), 0)
	half := g.fyStart.AddDate(0, 6, 0)
	halfStart, halfEnd := g.fyStart, half.AddDate(0, 0, -1)
	if !g.today.Before(half) {
		halfStart, halfEnd = half, g.fyEnd
	}
	sinceStart := int(g.today.Sub(g.fyStart).Hours() / 24)
	cum := 0
	for _, u := range open {
		// One each, the rest by the units' cumulative shares so that they add up to n exactly.
		before := spare * cum / sum
		cum += max(weight[u.ID], 1)
		count := 1 + spare*cum/sum - before
		for k := range count {
			i := len(town.People)
			surname, given := personName(bulkSeedPersonName + i)
			p := postgres.BulkPerson{EmployeeNo: fmt.Sprintf("B%06d", i+1), Name: surname.kanji + " " + given.kanji,
				Kana: surname.kana + " " + given.kana, UnitID: u.ID, Account: true,
				Email: fmt.Sprintf("%s.%s%d@%s", given.roma, surname.roma, i+1, townDomain)}
			switch x := r.Float64(); {
			case x < 0.78 || k == 0: // the first of each unit is regular staff in service
				// Regular staff joined over twenty years, about one in twelve this spring; one in a
				// hundred left earlier this year.
				p.Employment = isms.EmploymentRegular
				p.From = g.fyStart.AddDate(-r.IntN(20), 0, 0)
				if r.IntN(12) == 0 {
					p.From = g.fyStart.AddDate(0, 0, r.IntN(sinceStart+1)/4)
				}
				if r.IntN(100) == 0 && sinceStart > 0 && p.From.Before(g.fyStart) && k > 0 {
					to := g.fyStart.AddDate(0, 0, r.IntN(sinceStart))
					p.To = &to
				}
			case x < 0.90:
				p.Employment, p.From = isms.EmploymentFiscalYear, g.fyStart
				to := g.fyEnd
				p.To = &to
			case x < 0.94:
				p.Employment, p.From = isms.EmploymentTemporary, halfStart
				to := halfEnd
				p.To = &to
			default:
				p.Employment, p.From, p.Account = isms.EmploymentContractor, g.fyStart, false
				to := g.fyEnd
				p.To = &to
				p.Email = fmt.Sprintf("%s.%s%d@%s", given.roma, surname.roma, i+1, vendorDomain)
			}
			if p.To != nil && p.To.Before(g.today) {
				p.Account = false
			}
			town.People = append(town.People, p)
		}
	}
	return town
}

// contractInputs are the contracts of every unit that registers assets with every vendor.
func (g *generator) contractInputs() []postgres.BulkContract {
	list := make([]postgres.BulkContract, 0, len(g.targets)*len(vendors))
	for _, t := range g.targets {
		for _, v := range vendors {
			list = append(list, postgres.BulkContract{UnitID: t.id, Contractor: v})
		}
	}
	return list
}

// assets returns the generator COPY draws from, once the systems have their ids. An asset that
// breaks the rules is a mistake of the generator's, and undoes the load.
func (g *generator) assets(systemIDs map[string]int64, contractIDs map[postgres.BulkContract]int64) func() (isms.Asset, bool, error) {
	for i := range g.systems {
		g.systems[i].id = systemIDs[g.systems[i].code]
	}
	g.contractIDs = contractIDs
	used := map[int64]bool{}
	return func() (isms.Asset, bool, error) {
		if g.made >= g.n {
			g.summary.Units = len(used)
			return isms.Asset{}, false, nil
		}
		a, err := g.next()
		if err != nil {
			return isms.Asset{}, false, err
		}
		g.made++
		used[a.UnitID] = true
		s := g.summary
		s.Assets++
		s.ByType[a.Type]++
		zone := string(a.Zone)
		if zone == "" {
			zone = "none"
		}
		s.ByZone[zone]++
		s.ByStatus[string(a.Status)]++
		if a.ContainsMyNumber {
			s.MyNumber++
		}
		if a.ContainsPersonal {
			s.Personal++
		}
		if len(a.Warnings) > 0 {
			s.Flagged++
		}
		return a, true, nil
	}
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *generator, list []T) T { return list[g.r.IntN(len(list))] }

// weighted returns the index chosen from cumulative weights.
func (g *generator) weighted(cum []int) int {
	x := g.r.IntN(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

func (g *generator) day(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, g.r.IntN(days+1))
}

// levelAt is the code of the level of axis at rank, or the nearest rank the scheme has.
func (g *generator) levelAt(axis isms.Axis, rank int) string {
	rank = min(max(rank, 1), g.maxRank[axis])
	for r := rank; r >= 1; r-- {
		if code, ok := g.level[axis][r]; ok {
			return code
		}
	}
	return g.level[axis][g.maxRank[axis]]
}

// next makes one asset that passes the rules; a share of them are left without the backup their
// levels ask for, so that they carry a warning.
func (g *generator) next() (isms.Asset, error) {
	t := g.targets[g.weighted(g.weights)]
	tech := 0
	if t.tech {
		tech = 1
	}
	typ := typeWeights[g.weighted(g.typeCum[tech])].code
	if typ == "SYSTEM" && len(t.systems) == 0 {
		typ = "INFO_ELECTRONIC"
	}
	if typ == "SNS_ACCOUNT" && t.public == 0 {
		typ = "CLOUD_SERVICE"
	}
	info := typ == "INFO_ELECTRONIC" || typ == "INFO_PAPER" || typ == "MEDIA"
	subject := pick(g, t.subjects)
	in := isms.AssetInput{Type: typ, UnitID: t.id, UsersScope: pick(g, usersScopes), Retention: pick(g, retentions)}

	// What the asset holds.
	var system *genSystem
	if len(t.systems) > 0 && (typ == "SYSTEM" || (typ != "INFO_PAPER" && typ != "SNS_ACCOUNT" && typ != "FACILITY" && g.chance(0.6))) {
		system = &g.systems[pick(g, t.systems)]
	}
	secret, public := false, false
	switch {
	case typ == "SYSTEM":
		in.ContainsMyNumber, in.ContainsPersonal = system.myNumber, system.personal
	case info && g.chance(t.myNumber):
		in.ContainsMyNumber = true
		in.ContainsSensitive = g.chance(t.special)
	case info && g.chance(t.personal):
		in.ContainsPersonal = true
		in.ContainsSensitive = g.chance(t.special)
	case typ == "SNS_ACCOUNT" || (info || typ == "CLOUD_SERVICE") && g.chance(t.public):
		public = true
	case typ == "INFO_PAPER" && t.code == "1101" && g.chance(0.02):
		secret = true // 自治体機密性3A: 秘密文書 received from the national government
	}
	in.Normalize()
	if in.ContainsMyNumber && system != nil && system.zone != isms.ZoneMyNumber {
		system = nil // 特定個人情報 stays in the マイナンバー利用事務系
	}
	if in.ContainsMyNumber {
		if sys := g.myNumberSystem(t); system == nil && sys != nil && typ != "INFO_PAPER" {
			system = sys
		}
	}

	// Form and zone (三層の対策).
	electronic := g.rc.Types[typ].Electronic
	switch {
	case typ == "INFO_PAPER":
		in.Form = isms.FormPaper
	case typ == "SYS_DOC":
		in.Form = []isms.AssetForm{isms.FormPaper, isms.FormPaper, isms.FormPaper, isms.FormElectronic, isms.FormBoth}[g.r.IntN(5)]
	case typ == "INFO_ELECTRONIC" && g.chance(0.15):
		in.Form = isms.FormBoth
	case typ == "FACILITY":
		in.Form = isms.FormBoth
	default:
		in.Form = isms.FormElectronic
	}
	switch {
	case in.ContainsMyNumber:
		in.Zone = isms.ZoneMyNumber
	case !electronic && in.Form == isms.FormPaper:
		in.Zone = ""
	case system != nil:
		in.Zone = system.zone
	case typ == "SNS_ACCOUNT" || typ == "CLOUD_SERVICE" && g.chance(0.8):
		in.Zone = isms.ZoneInternet
	case t.other || typ == "FACILITY":
		in.Zone = isms.ZoneOther
	case g.chance(t.internet):
		in.Zone = isms.ZoneInternet
	case t.myNumber > 0.3 && g.chance(0.3):
		in.Zone = isms.ZoneMyNumber
	case g.chance(0.01):
		in.Zone = isms.ZoneOther
	default:
		in.Zone = isms.ZoneLGWAN
	}
	if system != nil {
		in.SystemID = system.id
	}

	// Classification: 特定個人情報 and 要配慮個人情報 at the scheme's level for My Number (3B),
	// other personal information one below (3C), internal information at 2, published at 1.
	c := isms.ThresholdRank
	switch {
	case secret:
		c = g.maxRank[isms.AxisC]
	case in.ContainsMyNumber || in.ContainsSensitive:
		c = g.special
	case in.ContainsPersonal:
		c = g.personal
	case public:
		c = 1
	case in.Zone == isms.ZoneMyNumber:
		c = g.personal
	}
	integrity, availability := 1, 1
	if in.ContainsPersonal || typ == "SYSTEM" || secret || g.chance(0.3) {
		integrity = 2
	}
	if typ == "SYSTEM" || typ == "NETWORK" || typ == "FACILITY" || typ == "HARDWARE" && g.chance(0.6) ||
		in.ContainsMyNumber && typ == "INFO_ELECTRONIC" || g.chance(0.15) {
		availability = 2
	}
	if typ == "SNS_ACCOUNT" {
		integrity = 2 // what the town publishes must be right (提供・公表)
	}
	in.C, in.I, in.A = g.levelAt(isms.AxisC, c), g.levelAt(isms.AxisI, integrity), g.levelAt(isms.AxisA, availability)

	// Backup as the levels require it (V-A5, V-A6).
	if integrity >= isms.ThresholdRank || availability >= isms.ThresholdRank {
		if in.Form == isms.FormPaper {
			in.BackupPolicy = pick(g, backupsPaper)
		} else {
			in.BackupPolicy = pick(g, backupsDigital)
		}
	}
	if availability >= isms.ThresholdRank {
		h := pick(g, recoveryHours)
		in.RecoveryHours = &h
	}
	// A share of the register is left wanting, to be flagged 要確認: spread evenly along the load.
	if (integrity >= isms.ThresholdRank || availability >= isms.ThresholdRank) &&
		float64(g.summary.Flagged) < FlaggedShare*float64(g.made+1) {
		if in.RecoveryHours != nil && g.chance(0.4) {
			in.RecoveryHours = nil
		} else {
			in.BackupPolicy = ""
		}
	}

	if in.ContainsPersonal {
		n := []int{5 + g.r.IntN(45), 50 + g.r.IntN(1950), 2000 + g.r.IntN(16000)}[g.weighted([]int{4, 8, 10})]
		in.DataSubjects = &n
	}
	if system != nil || typ == "CLOUD_SERVICE" || typ == "SYSTEM" {
		in.OutsourcedTo = isms.OutsourcedTo{Kind: isms.OutsourceContract,
			ID: g.contractIDs[postgres.BulkContract{UnitID: t.id, Contractor: pick(g, vendors)}]}
	}
	g.describe(&in, t, subject, system, secret)

	classified := g.day(g.today.AddDate(-5, 0, 0), g.today)
	review := g.fyEnd
	if g.chance(0.6) {
		review = g.day(g.fyStart, g.fyEnd)
	}
	in.ClassifiedAt, in.ReviewDue = &classified, &review
	in.Status = isms.AssetInUse
	switch x := g.r.Float64(); {
	case x < 0.03:
		in.Status = isms.AssetDisposed
	case x < 0.12:
		in.Status = isms.AssetStored
	}

	fs := isms.CheckAsset(in, g.rc)
	if fs.Blocking() {
		return isms.Asset{}, fmt.Errorf("demo: generated asset %q breaks the rules: %v", in.Name, fs)
	}
	return isms.Asset{
		Name: in.Name, Type: in.Type, Description: in.Description, UnitID: in.UnitID, Form: in.Form,
		Location: in.Location, Zone: in.Zone, SystemID: in.SystemID, C: in.C, I: in.I, A: in.A,
		ContainsPersonal: in.ContainsPersonal, ContainsMyNumber: in.ContainsMyNumber, ContainsSensitive: in.ContainsSensitive,
		DataSubjects: in.DataSubjects, UsersScope: in.UsersScope, Retention: in.Retention, BackupPolicy: in.BackupPolicy,
		RecoveryHours: in.RecoveryHours, OutsourcedTo: in.OutsourcedTo, ClassifiedAt: classified, ReviewDue: review,
		Status: in.Status, Warnings: fs.Flags(),
	}, nil
}

// myNumberSystem is one of the unit's マイナンバー利用事務系 systems, or nil.
func (g *generator) myNumberSystem(t target) *genSystem {
	var list []*genSystem
	for _, i := range t.systems {
		if g.systems[i].zone == isms.ZoneMyNumber {
			list = append(list, &g.systems[i])
		}
	}
	if len(list) == 0 {
		return nil
	}
	return pick(g, list)
}

// describe names the asset, says what it is in a sentence or three, and where it is kept.
func (g *generator) describe(in *isms.AssetInput, t target, subject string, system *genSystem, secret bool) {
	var kind string
	switch in.Type {
	case "INFO_PAPER":
		kind = pick(g, paperKinds)
	case "INFO_ELECTRONIC":
		kind = pick(g, electronicKinds)
	case "SYS_DOC":
		kind = pick(g, docKinds)
	case "HARDWARE":
		kind = pick(g, hardwareKinds)
	case "SOFTWARE":
		kind = pick(g, softwareKinds)
	case "NETWORK":
		kind = pick(g, networkKinds)
	case "MEDIA":
		kind = pick(g, mediaKinds)
	case "FACILITY":
		kind = pick(g, facilityKinds)
	case "CLOUD_SERVICE":
		kind = pick(g, cloudKinds)
	case "SNS_ACCOUNT":
		kind = pick(g, snsKinds)
	}
	switch {
	case in.Type == "SYSTEM":
		in.Name = system.name
	case in.Type == "SNS_ACCOUNT":
		in.Name = kind
	case secret:
		in.Name = secretSubject + "（" + subject + "関係）"
	case in.Type == "SYS_DOC" && system != nil:
		in.Name = system.name + kind
	case in.Type == "HARDWARE" || in.Type == "NETWORK" || in.Type == "FACILITY" || in.Type == "SOFTWARE" || in.Type == "CLOUD_SERVICE":
		in.Name = subject + "用" + kind
	default:
		in.Name = joinWords(subject, kind)
	}
	if (in.Type == "INFO_PAPER" || in.Type == "INFO_ELECTRONIC") && g.chance(0.35) {
		in.Name = pick(g, yearPrefixes) + in.Name
	}
	if in.Type == "MEDIA" || in.Type == "HARDWARE" {
		in.Name += fmt.Sprintf("（%d）", 1+g.r.IntN(30))
	}

	var b strings.Builder
	switch in.Type {
	case "INFO_PAPER":
		fmt.Fprintf(&b, "%sが%s事務で%sした%s。", t.name, subject, pick(g, []string{"受け付け", "作成", "収受", "取りまとめ"}), kind)
	case "INFO_ELECTRONIC", "MEDIA":
		fmt.Fprintf(&b, "%sの%s事務で使用する%s。", t.name, subject, kind)
	case "SYSTEM":
		fmt.Fprintf(&b, "%s（%s）。%sが主管する。", system.name, system.business, t.name)
	default:
		fmt.Fprintf(&b, "%sの%s事務に使用する%s。", t.name, subject, kind)
	}
	if system != nil && in.Type != "SYSTEM" {
		fmt.Fprintf(&b, "%sで取り扱う。", system.name)
	}
	if in.ContainsMyNumber {
		b.WriteString(myNumberNote)
	} else if in.ContainsPersonal {
		b.WriteString(pick(g, personalNotes))
	}
	if in.ContainsSensitive {
		b.WriteString(pick(g, specialNotes))
	}
	switch {
	case in.Form == isms.FormPaper && in.Type != "FACILITY":
		b.WriteString(pick(g, paperNotes))
	case in.Type == "HARDWARE" || in.Type == "NETWORK" || in.Type == "FACILITY":
		b.WriteString(pick(g, equipmentNotes))
	default:
		b.WriteString(pick(g, digitalNotes))
	}
	for range g.r.IntN(3) {
		b.WriteString(pick(g, commonNotes))
	}
	in.Description = b.String()

	switch {
	case in.Form == isms.FormPaper:
		in.Location = t.name + " " + pick(g, paperPlaces)
	case system != nil:
		in.Location = system.name
	case in.Type == "HARDWARE" || in.Type == "NETWORK" || in.Type == "MEDIA":
		in.Location = t.name + " 執務室"
	default:
		in.Location = pick(g, digitalPlaces)
	}
}

// joinWords puts a subject and a kind of document together without saying a word twice
// (住民基本台帳 + 台帳データ is 住民基本台帳データ).
func joinWords(subject, kind string) string {
	for _, w := range []string{"台帳", "名簿", "申請", "申告"} {
		if strings.HasSuffix(subject, w) && strings.HasPrefix(kind, w) {
			return subject + strings.TrimPrefix(kind, w)
		}
	}
	return subject + kind
}
