package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/web"
)

// The asset register as a spreadsheet: the 情報資産管理台帳 exported as .xlsx or CSV within the
// reader's scope and the list's filters, the blank template, and the import of a file's rows.
// An export is laid out so that it imports again: the same columns, values written the way the
// import reads them (units, systems and levels by name, dates as dates, ○ for yes).

// assetMaster is the master data an asset's cells name, both ways: what the file's words mean
// (for the import) and what the register's ids are called (for the export and the preview).
type assetMaster struct {
	lookups ledger.Lookups
	units   map[int64]string
	systems map[int64]string
	// outsourced labels the contracts, services and accounts the reader sees.
	outsourced map[isms.OutsourcedTo]string
	types      map[string]isms.AssetType
	levels     map[string]isms.Level
}

func (h *handler) assetMaster(ctx context.Context, actor isms.Actor) (assetMaster, error) {
	reg, err := h.db.FindRegisterLookups(ctx)
	if err != nil {
		return assetMaster{}, err
	}
	systems, err := h.db.FindSystemOptions(ctx, actor)
	if err != nil {
		return assetMaster{}, err
	}
	targets, err := h.db.FindOutsourceTargets(ctx, actor)
	if err != nil {
		return assetMaster{}, err
	}
	m := assetMaster{
		lookups: ledger.Lookups{Units: map[string]int64{}, Systems: map[string]int64{}, Types: map[string]string{},
			Levels: reg.Scheme.Levels, Outsourced: outsourceLookups(targets)},
		units: map[int64]string{}, systems: map[int64]string{}, types: map[string]isms.AssetType{}, levels: reg.Levels,
		outsourced: make(map[isms.OutsourcedTo]string, len(targets)),
	}
	for _, t := range targets {
		m.outsourced[t.OutsourcedTo] = t.Label()
	}
	// A code wins over a name that happens to read the same: codes are unique, names need not be.
	for _, u := range reg.Units {
		m.units[u.ID] = u.Name
		if _, taken := m.lookups.Units[ledger.Key(u.Name)]; !taken {
			m.lookups.Units[ledger.Key(u.Name)] = u.ID
		}
	}
	for _, u := range reg.Units {
		m.lookups.Units[ledger.Key(u.Code)] = u.ID
	}
	for _, s := range systems {
		m.systems[s.ID] = s.Name
		m.lookups.Systems[ledger.Key(s.Name)] = s.ID
	}
	for _, s := range systems {
		m.lookups.Systems[ledger.Key(s.Code)] = s.ID
	}
	for _, t := range reg.Types {
		m.types[t.Code] = t
		for _, k := range []string{t.NameEn, t.NameJa, t.Code} {
			m.lookups.Types[ledger.Key(k)] = t.Code
		}
	}
	return m, nil
}

// outsourceLookups are the words a ledger's 委託先・外部サービス cell may use: a record's number, its
// number and name as the export writes them, or its name alone when no other record has it.
func outsourceLookups(targets []isms.OutsourceTarget) map[string]isms.OutsourcedTo {
	m := make(map[string]isms.OutsourcedTo, 3*len(targets))
	names := make(map[string]int, len(targets))
	for _, t := range targets {
		names[ledger.Key(t.Name)]++
	}
	for _, t := range targets {
		if names[ledger.Key(t.Name)] == 1 {
			m[ledger.Key(t.Name)] = t.OutsourcedTo
		}
	}
	for _, t := range targets {
		m[ledger.Key(t.Number)], m[ledger.Key(t.Label())] = t.OutsourcedTo, t.OutsourcedTo
	}
	return m
}

// assetCell is one field of an asset as a spreadsheet cell: text, a number, or a date.
func (m assetMaster) assetCell(ctx context.Context, key, number string, in isms.AssetInput) any {
	lang := string(i18n.LangFrom(ctx))
	level := func(code string) any {
		if l, ok := m.levels[code]; ok {
			return l.Name(lang)
		}
		return code
	}
	mark := func(b bool) any {
		if b {
			return "○"
		}
		return ""
	}
	optional := func(n *int) any {
		if n == nil {
			return nil
		}
		return *n
	}
	day := func(d *time.Time) any {
		if d == nil {
			return nil
		}
		return *d
	}
	switch key {
	case "number":
		return number
	case "name":
		return in.Name
	case "asset_type":
		if t, ok := m.types[in.Type]; ok {
			return t.Name(lang)
		}
		return in.Type
	case "description":
		return in.Description
	case "unit_id":
		return m.units[in.UnitID]
	case "form":
		if in.Form == "" {
			return ""
		}
		return i18n.T(ctx, "asset.form."+string(in.Form))
	case "location":
		return in.Location
	case "zone":
		if in.Zone == "" {
			return ""
		}
		return i18n.T(ctx, "zone."+string(in.Zone))
	case "system_id":
		return m.systems[in.SystemID]
	case "confidentiality":
		return level(in.C)
	case "integrity":
		return level(in.I)
	case "availability":
		return level(in.A)
	case "contains_personal":
		return mark(in.ContainsPersonal)
	case "contains_my_number":
		return mark(in.ContainsMyNumber)
	case "contains_sensitive":
		return mark(in.ContainsSensitive)
	case "data_subjects":
		return optional(in.DataSubjects)
	case "users_scope":
		return in.UsersScope
	case "retention":
		return in.Retention
	case "backup_policy":
		return in.BackupPolicy
	case "recovery_hours":
		return optional(in.RecoveryHours)
	case "outsourced_to":
		return m.outsourced[in.OutsourcedTo]
	case "classified_at":
		return day(in.ClassifiedAt)
	case "review_due":
		return day(in.ReviewDue)
	case "status":
		if in.Status == "" {
			return ""
		}
		return i18n.T(ctx, "asset.status."+string(in.Status))
	}
	return nil
}

// cellText is a cell as a page shows it.
func cellText(ctx context.Context, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case time.Time:
		return i18n.FormatDateCtx(ctx, v)
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// runAssetImport checks or writes the rows of an asset import.
func runAssetImport(run *importRun, write bool) error {
	ctx, db := run.ctx, run.h.db
	m, err := run.h.assetMaster(ctx, run.actor)
	if err != nil {
		return err
	}
	rows, read := ledger.AssetRows(run.table, run.header, m.lookups)
	imp := postgres.AssetImport{ID: run.im.ID, Mode: run.im.Mode, Rows: make([]postgres.AssetImportRow, len(rows)),
		Merge:    func(stored isms.AssetInput, i int) isms.AssetInput { return ledger.MergeAsset(stored, rows[i]) },
		Progress: run.progress}
	numbers := make([]int, len(rows))
	for i, r := range rows {
		imp.Rows[i] = postgres.AssetImportRow{Row: r.Row, Number: r.Number, Input: r.Input}
		numbers[i] = r.Row
	}
	errsOf := func(bad []postgres.RowErrors) []rowErrors {
		out := make([]rowErrors, len(bad))
		for i, b := range bad {
			out[i] = rowErrors{index: b.Index, errors: b.Errors}
		}
		return out
	}
	if write {
		if len(read) > 0 { // the master data changed since the check
			return run.written(run.problems(ledger.AssetLayout, read, numbers, nil))
		}
		_, bad, err := db.ImportAssets(ctx, run.actor, imp)
		if err != nil {
			return err
		}
		return run.written(run.problems(ledger.AssetLayout, nil, numbers, errsOf(bad)))
	}
	bad, err := db.CheckAssetImport(ctx, run.actor, imp)
	if err != nil {
		return err
	}
	var preview [][]string
	for _, r := range rows[:min(importPreview, len(rows))] {
		var cells []string
		for _, key := range run.header.Mapping {
			if key != "" {
				cells = append(cells, cellText(ctx, m.assetCell(ctx, key, r.Number, r.Input)))
			}
		}
		preview = append(preview, cells)
	}
	return run.finish(len(rows), run.problems(ledger.AssetLayout, read, numbers, errsOf(bad)), preview)
}

// assetSheet lays out assets as the 情報資産管理台帳, every column of the layout.
func (m assetMaster) assetSheet(ctx context.Context, today time.Time) ledger.Sheet {
	s := ledger.Sheet{Name: i18n.T(ctx, "ledger.sheet.assets"), Columns: ledger.AssetLayout.Columns,
		Title: i18n.T(ctx, "ledger.sheet.assets_title", i18n.FormatDateCtx(ctx, today))}
	for _, c := range s.Columns {
		s.Headers = append(s.Headers, i18n.T(ctx, c.Label))
	}
	return s
}

func (m assetMaster) assetRow(ctx context.Context, a isms.Asset) []any {
	in := a.Input()
	row := make([]any, len(ledger.AssetLayout.Columns))
	for i, c := range ledger.AssetLayout.Columns {
		row[i] = m.assetCell(ctx, c.Key, a.Number, in)
	}
	return row
}

// assetExport sends the register, within the reader's scope and the list's filters, as .xlsx or
// as CSV in the encoding chosen. A CSV in Shift_JIS that would lose characters is not sent: the
// page lists the cells that hold them.
func (h *handler) assetExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	today := isms.Day(h.now())
	q := r.URL.Query()
	format, enc := q.Get("format"), ledger.UTF8BOM
	switch {
	case format == "xlsx":
	case format == "csv" && q.Get("encoding") == "sjis":
		enc = ledger.ShiftJIS
	case format == "csv" && (q.Get("encoding") == "" || q.Get("encoding") == "utf8"):
	default:
		h.fail(w, r, isms.Errorf(isms.EINVALID, "no such export format"))
		return
	}
	m, err := h.assetMaster(ctx, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := m.assetSheet(ctx, today)
	f, _ := assetFilterFrom(r, today)
	f.After, f.Limit, f.Uncounted = nil, 200, true
	for {
		assets, _, _, next, err := h.db.FindAssets(ctx, actor, f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, a := range assets {
			s.Rows = append(s.Rows, m.assetRow(ctx, a))
		}
		if next == nil {
			break
		}
		f.After = next
	}
	h.sendSheet(w, r, s, format, enc, i18n.T(ctx, "ledger.file.assets", today.Format("20060102")))
}

// sendSheet writes a sheet as a download named base plus the format's extension.
func (h *handler) sendSheet(w http.ResponseWriter, r *http.Request, s ledger.Sheet, format string, enc ledger.Encoding, base string) {
	var buf bytes.Buffer
	contentType := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == "csv" {
		problems, err := ledger.WriteCSV(&buf, enc, s)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(problems) > 0 {
			list := make([]isms.ImportProblem, len(problems))
			for i, p := range problems {
				list[i] = importProblem(p)
			}
			h.render(w, r, http.StatusUnprocessableEntity, web.ExportProblemsPage(list))
			return
		}
		contentType = "text/csv; charset=utf-8"
		if enc == ledger.ShiftJIS {
			contentType = "text/csv; charset=Shift_JIS"
		}
	} else if err := ledger.WriteXLSX(&buf, s); err != nil {
		h.fail(w, r, err)
		return
	}
	name := base + "." + format
	w.Header().Set("Content-Type", contentType)
	// RFC 6266: an ASCII fallback and the Japanese name in UTF-8.
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="export.%s"; filename*=UTF-8''%s`,
		format, url.PathEscape(name)))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
