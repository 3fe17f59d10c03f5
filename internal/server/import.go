package server

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/web"
)

// Imports of the registers from spreadsheets. The upload is read at once (a file that is not
// what it claims, too large, or a zip bomb is refused before anything is kept) and kept with its
// header found; its owner confirms the mapping of its columns, and the check of every row and, when
// no row is bad, the write run in the background while the import's page shows their progress.
// Both read the kept file again, so that the rows checked are exactly the rows written.

// importShown is how many problems an import's page lists; the count names them all.
const importShown = 1000

// importSamples is how many data rows are kept at upload to show beside the mapping.
const importSamples = 3

// importPreview is how many rows the preview shows before the write.
const importPreview = 20

// importKinds are the registers the actor may import into, in the order the form offers them. An
// attendance list goes into a training session: it is offered alone, when the form was opened
// from the session's page (session), and not otherwise. A rotation list goes into a draft
// rotation likewise, offered alone when the form was opened from the rotation's page (rotation).
func importKinds(actor isms.Actor, session, rotation bool) []isms.ImportKind {
	var out []isms.ImportKind
	for _, k := range isms.ImportKinds {
		if _, ok := registerImports[k]; ok && postgres.MayImport(actor, k) && (k == isms.ImportAttendance) == session &&
			(k == isms.ImportRotation) == rotation {
			out = append(out, k)
		}
	}
	return out
}

func (h *handler) importNew(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	session, rotation := formInt(r, "session"), formInt(r, "rotation")
	kinds := importKinds(actor, session > 0, rotation > 0)
	if len(kinds) == 0 {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "no register to import into"))
		return
	}
	kind := isms.ImportKind(r.URL.Query().Get("kind"))
	if !slices.Contains(kinds, kind) {
		kind = kinds[0]
	}
	h.renderImportNew(w, r, http.StatusOK, web.ImportNew{Kind: kind, SessionID: session, RotationID: rotation})
}

func (h *handler) renderImportNew(w http.ResponseWriter, r *http.Request, status int, n web.ImportNew) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	recent, err := h.db.FindImports(ctx, actor, 10)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if n.SessionID > 0 {
		if n.Session, err = h.importSession(ctx, actor, n.SessionID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if n.RotationID > 0 {
		if n.Rotation, err = h.importRotation(ctx, actor, n.RotationID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	n.Kinds, n.MaxMB, n.Recent = importKinds(actor, n.SessionID > 0, n.RotationID > 0), h.importMax>>20, recent
	h.render(w, r, status, web.ImportNewPage(n))
}

// importCreate takes an upload: the file is read whole, within the upload limit, and refused with
// the reason when it cannot be a register; otherwise it is kept with its header and mapping found.
func (h *handler) importCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	// The form's fields besides the file are small; the bound is the file's with room for them.
	raiseBodyLimit(w, r, h.importMax+64<<10)
	n := web.ImportNew{Kind: isms.ImportKind(r.FormValue("kind")), SessionID: formInt(r, "session"),
		RotationID: formInt(r, "rotation")}
	refuse := func(status int, key string, args ...any) {
		n.Refusal, n.Args = key, args
		h.renderImportNew(w, r, status, n)
	}
	file, header, err := r.FormFile("file")
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		refuse(http.StatusRequestEntityTooLarge, "import.refused.too_large", h.importMax>>20)
		return
	}
	ri, ok := registerImports[n.Kind]
	if !ok || !postgres.MayImport(actor, n.Kind) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not import into %q", n.Kind))
		return
	}
	if err != nil {
		n.Errors = isms.FieldErrors{"file": "import.error.no_file"}
		h.renderImportNew(w, r, http.StatusUnprocessableEntity, n)
		return
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, h.importMax+1))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if int64(len(content)) > h.importMax {
		refuse(http.StatusRequestEntityTooLarge, "import.refused.too_large", h.importMax>>20)
		return
	}
	name := cleanFileName(header.Filename)
	t, err := ledger.Read(bytes.NewReader(content), name, h.importLimits)
	if refusal, ok := errors.AsType[*ledger.Refusal](err); ok {
		refuse(http.StatusUnprocessableEntity, refusal.Key, refusal.Args...)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hdr := ledger.FindHeader(t, ri.layout)
	im := isms.Import{Kind: n.Kind, Mode: isms.ImportAdd, FileName: name, Format: string(t.Format),
		Encoding: string(t.Encoding), Sheet: t.Sheet, HeaderRow: hdr.Row, HeaderRows: hdr.Rows,
		Names: hdr.Names, Mapping: hdr.Mapping}
	if n.Kind == isms.ImportAttendance {
		im.SessionID = n.SessionID
	}
	if n.Kind == isms.ImportRotation {
		im.RotationID = n.RotationID
	}
	if t.Format == ledger.CSV {
		im.Delimiter = delimiterName(t.Delimiter)
	}
	for _, row := range t.Rows[min(hdr.Row+1, len(t.Rows)):] {
		if len(im.Samples) == importSamples {
			break
		}
		if !blankRow(row) {
			im.Samples = append(im.Samples, row)
		}
	}
	im, err = h.db.CreateImport(ctx, actor, im, content)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(im.ID, 10), http.StatusSeeOther)
}

// importTemplate sends a register's blank sheet: its columns, headed as the import reads them,
// and no rows, to fill in and import.
func (h *handler) importTemplate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	kind := isms.ImportKind(chi.URLParam(r, "kind"))
	ri, ok := registerImports[kind]
	if !ok {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no register %q", kind))
		return
	}
	name := i18n.T(ctx, "ledger.sheet."+string(kind))
	s := ledger.Sheet{Name: name, Title: name, Columns: ri.layout.Columns}
	for _, c := range s.Columns {
		s.Headers = append(s.Headers, i18n.T(ctx, c.Label))
	}
	h.sendSheet(w, r, s, "xlsx", "", i18n.T(ctx, "ledger.file.template", name))
}

// cleanFileName keeps the last element of an uploaded file's name, as valid UTF-8 of a sane length.
func cleanFileName(name string) string {
	name = filepath.Base(filepath.ToSlash(name))
	name = string(bytes.ToValidUTF8([]byte(name), []byte("?")))
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return cmp.Or(name, "upload")
}

func delimiterName(d rune) string {
	switch d {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	}
	return "comma"
}

func blankRow(row []string) bool {
	return !slices.ContainsFunc(row, func(s string) bool { return s != "" })
}

func (h *handler) importShow(w http.ResponseWriter, r *http.Request) {
	im, ok := h.findImport(w, r)
	if !ok {
		return
	}
	h.renderImport(w, r, http.StatusOK, im, nil)
}

func (h *handler) findImport(w http.ResponseWriter, r *http.Request) (isms.Import, bool) {
	id, ok := h.pathID(w, r)
	if !ok {
		return isms.Import{}, false
	}
	im, err := h.db.FindImport(r.Context(), isms.ActorFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return isms.Import{}, false
	}
	return im, true
}

func (h *handler) renderImport(w http.ResponseWriter, r *http.Request, status int, im isms.Import, errs isms.FieldErrors) {
	stale := im.Status.Running() && h.now().Sub(im.UpdatedAt) > isms.ImportStale
	p := web.ImportPage{Import: im, Layout: registerImports[im.Kind].layout, Errors: errs, Stale: stale, Shown: importShown}
	h.render(w, r, status, web.ImportShowPage(p))
}

// importCheck records the mapping and mode confirmed on the page and starts the check of every row.
func (h *handler) importCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	im, ok := h.findImport(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ri := registerImports[im.Kind]
	im.Mode = isms.ImportMode(r.PostForm.Get("mode"))
	mapping := r.PostForm["map"]
	errs := isms.FieldErrors{}
	errs.Check(im.Mode.Valid(), "mode", "validation.choose")
	if len(mapping) != len(im.Names) {
		h.fail(w, r, isms.Errorf(isms.EINVALID, "mapping of %d columns for %d", len(mapping), len(im.Names)))
		return
	}
	im.Mapping = mapping
	if missing, twice := checkMapping(ri, im.Mode, mapping); len(twice) > 0 {
		errs["mapping"] = "import.error.mapped_twice"
	} else if len(missing) > 0 {
		errs["mapping"] = "import.error.unmapped"
	}
	if len(errs) > 0 {
		h.renderImport(w, r, http.StatusUnprocessableEntity, im, errs)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	started, err := h.db.StartImportCheck(ctx, actor, im.ID, version, im.Mode, mapping)
	h.started(w, r, started, err, false)
}

// checkMapping says which fields the file must have but no column feeds (an update needs only the
// field that names the record: it changes the fields the file has) and which fields two columns
// feed. A key that is no field of the register is reported missing: the form was not ours.
func checkMapping(ri registerImport, mode isms.ImportMode, mapping []string) (missing, twice []string) {
	seen := map[string]bool{}
	for _, key := range mapping {
		if key == "" {
			continue
		}
		if _, ok := ri.layout.Column(key); !ok {
			missing = append(missing, key)
		}
		if seen[key] {
			twice = append(twice, key)
		}
		seen[key] = true
	}
	for _, c := range ri.layout.Columns {
		need := c.Required
		if mode == isms.ImportUpdate {
			need = c.Key == ri.key
		}
		if need && !seen[c.Key] {
			missing = append(missing, c.Key)
		}
	}
	return missing, twice
}

// importCommit starts the write of a checked import with no problems.
func (h *handler) importCommit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	im, ok := h.findImport(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	started, err := h.db.StartImportWrite(ctx, isms.ActorFrom(ctx), im.ID, version)
	h.started(w, r, started, err, true)
}

// started answers a request that moved an import on (err says whether it did): the import's page,
// where the progress of the work now running shows, or that page as it now stands with 409 when
// the import had moved on since it was shown.
func (h *handler) started(w http.ResponseWriter, r *http.Request, im isms.Import, err error, write bool) {
	ctx := r.Context()
	if isms.ErrorCode(err) == isms.ECONFLICT {
		if im, ok := h.findImport(w, r); ok {
			h.renderImport(w, r, http.StatusConflict, im, isms.FieldErrors{"mapping": "import.error.conflict"})
		}
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.background(ctx, im, write)
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(im.ID, 10), http.StatusSeeOther)
}

// background runs the check (or, with write, the write) of an import after the request that
// started it has been answered; the import's page follows its progress. The work keeps the
// request's values (the actor, the language) but not its end.
func (h *handler) background(ctx context.Context, im isms.Import, write bool) {
	ctx = context.WithoutCancel(ctx)
	go func() {
		if err := h.runImport(ctx, im, write); err != nil {
			h.log.Error("import", "import", im.ID, "write", write, "err", err)
			if err := h.db.FailImport(ctx, im.ID, "import.failure.error", nil); err != nil {
				h.log.Error("import: record failure", "import", im.ID, "err", err)
			}
		}
	}()
}

// runImport reads the kept file again, turns its rows into the register's inputs, and checks or
// writes them.
func (h *handler) runImport(ctx context.Context, im isms.Import, write bool) error {
	actor := isms.ActorFrom(ctx)
	content, err := h.db.FindImportContent(ctx, actor, im.ID)
	if err != nil {
		return err
	}
	t, err := ledger.Read(bytes.NewReader(content), im.FileName, h.importLimits)
	if refusal, ok := errors.AsType[*ledger.Refusal](err); ok {
		return h.db.FailImport(ctx, im.ID, refusal.Key, nil) // the limits changed since the upload
	}
	if err != nil {
		return err
	}
	hdr := ledger.Header{Row: im.HeaderRow, Rows: im.HeaderRows, Names: im.Names, Mapping: im.Mapping}
	run := importRun{h: h, ctx: ctx, actor: actor, im: im, table: t, header: hdr}
	run.total = max(len(t.Rows)-hdr.Row-1, 0)
	if err := h.db.ImportProgress(ctx, im.ID, 0, run.total); err != nil {
		return err
	}
	return registerImports[im.Kind].run(&run, write)
}

// importRun is one check or write of an import on its way.
type importRun struct {
	h      *handler
	ctx    context.Context
	actor  isms.Actor
	im     isms.Import
	table  *ledger.Table
	header ledger.Header
	total  int

	mu       sync.Mutex
	reported time.Time
}

// progress records how many rows are done, at most twice a second.
func (run *importRun) progress(done int) {
	run.mu.Lock()
	defer run.mu.Unlock()
	if time.Since(run.reported) < 500*time.Millisecond {
		return
	}
	run.reported = time.Now()
	if err := run.h.db.ImportProgress(run.ctx, run.im.ID, done, run.total); err != nil {
		run.h.log.Warn("import progress", "import", run.im.ID, "err", err)
	}
}

// column is the file's header of the column that feeds field, or the field's label when no
// column does (a problem of a default or of the stored record).
func (run *importRun) column(l ledger.Layout, field string) (int, string) {
	if i := slices.Index(run.header.Mapping, field); i >= 0 {
		return i, run.header.Names[i]
	}
	if c, ok := l.Column(field); ok {
		return -1, i18n.T(run.ctx, c.Label)
	}
	return -1, ""
}

// problems merges what reading the cells found with what the register's rules found, one
// problem per row and field (a cell that could not be read is not reported again as missing),
// in the order of the rows.
func (run *importRun) problems(l ledger.Layout, read []ledger.Problem, rows []int, bad []rowErrors) []isms.ImportProblem {
	out := make([]isms.ImportProblem, 0, len(read)+len(bad))
	type cell struct {
		row   int
		field string
	}
	seen := map[cell]bool{}
	for _, p := range read {
		seen[cell{p.Row, p.Field}] = true
		out = append(out, importProblem(p))
	}
	for _, b := range bad {
		row := rows[b.index]
		for _, field := range slices.Sorted(maps.Keys(b.errors)) {
			if seen[cell{row, field}] {
				continue
			}
			col, name := run.column(l, field)
			value := ""
			if col >= 0 {
				value = run.cell(row, col)
			}
			out = append(out, isms.ImportProblem{Row: row, Column: name, Value: value, Key: b.errors[field]})
		}
	}
	slices.SortStableFunc(out, func(a, b isms.ImportProblem) int { return cmp.Compare(a.Row, b.Row) })
	return out
}

// importProblem is a problem the ledger found, as an import (or an export) reports it.
func importProblem(p ledger.Problem) isms.ImportProblem {
	return isms.ImportProblem{Row: p.Row, Column: p.Column, Value: p.Value, Key: p.Key, Args: p.Args}
}

// cell is the text of a cell by spreadsheet row number (1-based) and column index.
func (run *importRun) cell(row, col int) string {
	if r := row - 1; r >= 0 && r < len(run.table.Rows) && col < len(run.table.Rows[r]) {
		return run.table.Rows[r][col]
	}
	return ""
}

// rowErrors are one row's problems by field, as the store reported them.
type rowErrors struct {
	index  int
	errors isms.FieldErrors
}

// finish ends a check: every problem, or the preview of a file without one.
func (run *importRun) finish(n int, problems []isms.ImportProblem, preview [][]string) error {
	if len(problems) > 0 {
		preview = nil
	}
	return run.h.db.FinishImportCheck(run.ctx, run.im.ID, n, problems, preview)
}

// written ends a write that the store refused because rows went bad since the check (the
// registers changed): the import goes back to checked with them.
func (run *importRun) written(problems []isms.ImportProblem) error {
	if len(problems) == 0 {
		return nil
	}
	return run.h.db.FailImport(run.ctx, run.im.ID, "", problems)
}

// registerImport is what an import needs of its register: the columns its files have, and how
// its rows are checked and written.
type registerImport struct {
	layout ledger.Layout
	key    string // the field that names a record, for an update
	run    func(run *importRun, write bool) error
}

// registerImports are the registers that take imports.
var registerImports = map[isms.ImportKind]registerImport{
	isms.ImportAssets:  {layout: ledger.AssetLayout, key: "number", run: runAssetImport},
	isms.ImportSystems: {layout: ledger.SystemLayout, key: "code", run: runSystemImport},
	isms.ImportPeople:  {layout: ledger.PersonLayout, key: "employee_no", run: runPersonImport},
	// Every row of an attendance list names its person: adding and updating are the same.
	isms.ImportAttendance: {layout: ledger.AttendanceLayout, key: "employee_no", run: runAttendanceImport},
	// A rotation list only adds lines to its rotation, whichever the mode.
	isms.ImportRotation: {layout: ledger.RotationLayout, key: "employee_no", run: runRotationImport},
}
