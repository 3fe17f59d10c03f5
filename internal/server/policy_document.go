package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The policy library (ポリシー文書) and its reviews: the list of documents, a document's page with
// its version in force, versions and reviews, the forms of the security office (documents,
// drafts, publication, review schedules), of reviewers (outcome, drafts) and of approvers (the
// CISO and the committee), the difference between two versions, and the PDFs of versions.
//
// Who reads a document is the store's, in SQL: a restricted document (関係者限り) outside the
// reader's readers is 404, as a missing one; a form the reader may not use is 403. A workflow
// form of a version comes back to the version's page: refused (422, the messages beside the
// fields), stale (409), or saved (the flash and the page again).

func libraryPath(id int64) string { return "/policies/" + strconv.FormatInt(id, 10) }

func versionPath(docID, versionID int64) string {
	return fmt.Sprintf("/policies/%d/versions/%d", docID, versionID)
}

func reviewPath(docID, reviewID int64) string {
	return fmt.Sprintf("/policies/%d/reviews/%d", docID, reviewID)
}

func (h *handler) libraryList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	q := r.URL.Query()
	l := web.LibraryList{Filter: isms.PolicyDocumentFilter{Kind: q.Get("kind"), NeedsReview: q.Get("due") != ""}, Today: actor.Day()}
	var err error
	if l.Kinds, err = h.db.FindPolicyDocumentKinds(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Documents, err = h.db.FindPolicyDocuments(ctx, actor, l.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.LibraryListPage(l))
}

// renderLibraryForm shows a document's form with its choices: the kinds, the open units, the roles.
func (h *handler) renderLibraryForm(w http.ResponseWriter, r *http.Request, status int, f web.LibraryForm) {
	ctx := r.Context()
	var err error
	if f.Kinds, err = h.db.FindPolicyDocumentKinds(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	day := isms.Day(h.now())
	f.Units = systemUnits(units, func(u isms.Unit) bool { return u.Contains(day) })
	if f.Roles, err = h.db.FindSecurityRoles(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.LibraryFormPage(f))
}

// libraryNew starts a document of the kind asked for (?kind=, by default the first) with that
// kind's visibility and acknowledgement, reviewed yearly.
func (h *handler) libraryNew(w http.ResponseWriter, r *http.Request) {
	kinds, err := h.db.FindPolicyDocumentKinds(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := web.LibraryForm{Input: isms.PolicyDocumentInput{ReviewMonths: 12}, ReviewMonths: "12"}
	for i, k := range kinds {
		if k.Code == r.URL.Query().Get("kind") || i == 0 {
			f.Input.Kind, f.Input.Visibility, f.Input.MustAcknowledge = k.Code, k.DefaultVisibility, k.DefaultAcknowledge
		}
	}
	h.renderLibraryForm(w, r, http.StatusOK, f)
}

// libraryFormFrom reads a document's form; fe holds the values that are not what their fields take.
func libraryFormFrom(r *http.Request) (isms.PolicyDocumentInput, web.LibraryForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.PolicyDocumentInput{
		Kind:            r.PostFormValue("kind"),
		Title:           r.PostFormValue("title"),
		Visibility:      isms.PolicyVisibility(r.PostFormValue("visibility")),
		OwnerUnitID:     formInt(r, "owner_unit"),
		MustAcknowledge: r.PostFormValue("must_acknowledge") != "",
		ReaderUnitIDs:   postedIDs(r, "reader_unit"),
		Version:         int(formInt(r, "version")),
	}
	for _, code := range r.PostForm["reader_role"] {
		in.ReaderRoles = append(in.ReaderRoles, isms.SecurityRoleCode(code))
	}
	f := web.LibraryForm{ReviewMonths: r.PostFormValue("review_months")}
	n, err := strconv.Atoi(f.ReviewMonths)
	fe.Check(err == nil, "review_months", "library.error.review_months")
	in.ReviewMonths = n
	in.NextReviewOn, f.NextReviewOn = postedDay(r, "next_review_on", fe)
	f.Input = in
	return in, f, fe
}

func (h *handler) libraryCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in, f, fe := libraryFormFrom(r)
	var d isms.PolicyDocument
	err := fe.Err()
	if err == nil {
		d, err = h.db.CreatePolicyDocument(ctx, isms.ActorFrom(ctx), in)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderLibraryForm(w, r, http.StatusUnprocessableEntity, f)
	}) {
		return
	}
	h.done(w, r, "library.flash.created", libraryPath(d.ID))
}

func (h *handler) libraryEdit(w http.ResponseWriter, r *http.Request) {
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	h.renderLibraryForm(w, r, http.StatusOK, web.LibraryForm{ID: d.ID, Input: isms.PolicyDocumentInput{
		Kind: d.Kind, Title: d.Title, Visibility: d.Visibility, OwnerUnitID: d.OwnerUnitID, ReviewMonths: d.ReviewMonths,
		NextReviewOn: d.NextReviewOn, MustAcknowledge: d.MustAcknowledge, ReaderUnitIDs: d.ReaderUnitIDs,
		ReaderRoles: d.ReaderRoles, Version: d.Version,
	}, ReviewMonths: strconv.Itoa(d.ReviewMonths), NextReviewOn: formDate(d.NextReviewOn)})
}

func (h *handler) libraryUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in, f, fe := libraryFormFrom(r)
	f.ID = id
	err := fe.Err()
	if err == nil {
		_, err = h.db.UpdatePolicyDocument(ctx, isms.ActorFrom(ctx), id, in)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderLibraryForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "library.flash.updated", libraryPath(id))
}

func (h *handler) libraryShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	v := web.LibraryView{Document: d, Today: actor.Day()}
	var err error
	if v.Versions, err = h.db.FindDocumentVersions(ctx, actor, d.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range v.Versions {
		if v.Versions[i].ID == d.PublishedID {
			v.Published = &v.Versions[i]
		}
	}
	if v.Reviews, err = h.db.FindPolicyReviews(ctx, actor, d.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.MayAuthor, err = h.db.MayAuthorPolicy(ctx, actor, d.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Kinds, err = h.db.FindPolicyDocumentKinds(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Roles, err = h.db.FindSecurityRoles(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.LibraryPage(v))
}

// pathVersionID is the path's {v}: the version of the document.
func (h *handler) pathVersionID(w http.ResponseWriter, r *http.Request) (int64, int64, bool) {
	docID, ok := h.pathID(w, r)
	if !ok {
		return 0, 0, false
	}
	versionID, ok := h.pathSubID(w, r, "v")
	return docID, versionID, ok
}

// draftNew is the form of a new draft, starting from the text of the version in force.
func (h *handler) draftNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	if may, err := h.db.MayAuthorPolicy(ctx, actor, d.ID); err != nil || !may {
		h.fail(w, r, cmpErr(err, isms.Errorf(isms.EFORBIDDEN, "not an author of the document")))
		return
	}
	f := web.LibraryDraftForm{Document: d}
	if d.PublishedID != 0 {
		published, err := h.db.FindDocumentVersion(ctx, actor, d.ID, d.PublishedID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Input.Body = published.Body
	}
	h.render(w, r, http.StatusOK, web.LibraryDraftPage(f))
}

// cmpErr is err when there is one, else the refusal.
func cmpErr(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}

func draftInputFrom(r *http.Request) isms.DocumentVersionInput {
	return isms.DocumentVersionInput{Label: r.PostFormValue("label"), Body: r.PostFormValue("body"),
		ChangeSummary: r.PostFormValue("change_summary"), Version: int(formInt(r, "version"))}
}

func (h *handler) draftCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	in := draftInputFrom(r)
	v, err := h.db.CreateDraft(ctx, isms.ActorFrom(ctx), d.ID, in)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		h.render(w, r, http.StatusUnprocessableEntity, web.LibraryDraftPage(web.LibraryDraftForm{Document: d, Input: in, Errors: errs}))
	}) {
		return
	}
	h.done(w, r, "library.flash.draft_created", versionPath(d.ID, v.ID))
}

func (h *handler) draftEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	docID, versionID, ok := h.pathVersionID(w, r)
	if !ok {
		return
	}
	d, err := h.db.FindPolicyDocument(ctx, actor, docID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.db.FindDocumentVersion(ctx, actor, docID, versionID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if may, err := h.db.MayAuthorPolicy(ctx, actor, d.ID); err != nil || !may || v.Status != isms.VersionDraft {
		h.fail(w, r, cmpErr(err, isms.Errorf(isms.EFORBIDDEN, "only drafts are edited, by the document's authors")))
		return
	}
	h.render(w, r, http.StatusOK, web.LibraryDraftPage(web.LibraryDraftForm{Document: d, VersionID: v.ID, Input: isms.DocumentVersionInput{
		Label: v.Label, Body: v.Body, ChangeSummary: v.ChangeSummary, Version: v.Version}}))
}

func (h *handler) draftUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	docID, versionID, ok := h.pathVersionID(w, r)
	if !ok {
		return
	}
	in := draftInputFrom(r)
	_, err := h.db.UpdateDraft(ctx, actor, docID, versionID, in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		d, err := h.db.FindPolicyDocument(ctx, actor, docID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, status, web.LibraryDraftPage(web.LibraryDraftForm{Document: d, VersionID: versionID, Input: in, Errors: errs, Conflict: conflict}))
	}) {
		return
	}
	h.done(w, r, "library.flash.draft_saved", versionPath(docID, versionID))
}

// renderVersion shows a version's page with its workflow forms as typed.
func (h *handler) renderVersion(w http.ResponseWriter, r *http.Request, status int, docID, versionID int64, v web.LibraryVersionView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Document, err = h.db.FindPolicyDocument(ctx, actor, docID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Version, err = h.db.FindDocumentVersion(ctx, actor, docID, versionID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.MayAuthor, err = h.db.MayAuthorPolicy(ctx, actor, docID); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = actor.Day()
	if v.Publish.EffectiveOn == "" {
		v.Publish.EffectiveOn = v.Today.Format("2006-01-02")
	}
	h.render(w, r, status, web.LibraryVersionPage(v))
}

func (h *handler) versionShow(w http.ResponseWriter, r *http.Request) {
	if docID, versionID, ok := h.pathVersionID(w, r); ok {
		h.renderVersion(w, r, http.StatusOK, docID, versionID, web.LibraryVersionView{})
	}
}

// versionSaved ends a workflow form of a version: refused (the page again with the form's errors
// and 422, or the conflict notice and 409), failed, or saved (the flash and to next).
func (h *handler) versionSaved(w http.ResponseWriter, r *http.Request, docID, versionID int64, err error, flash, next string, show func(*web.LibraryVersionView, isms.FieldErrors)) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.LibraryVersionView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderVersion(w, r, status, docID, versionID, v)
	}) {
		return
	}
	h.done(w, r, flash, next)
}

// versionMove is a workflow step without fields of its own (submit, return, delete).
func (h *handler) versionMove(step func(r *http.Request, actor isms.Actor, docID, versionID int64, version int) error, flash string, toDocument bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.parseForm(w, r) {
			return
		}
		docID, versionID, ok := h.pathVersionID(w, r)
		if !ok {
			return
		}
		err := step(r, isms.ActorFrom(r.Context()), docID, versionID, int(formInt(r, "version")))
		next := versionPath(docID, versionID)
		if toDocument {
			next = libraryPath(docID)
		}
		h.versionSaved(w, r, docID, versionID, err, flash, next, func(*web.LibraryVersionView, isms.FieldErrors) {})
	}
}

func (h *handler) versionSubmit(w http.ResponseWriter, r *http.Request) {
	h.versionMove(func(r *http.Request, a isms.Actor, d, v int64, version int) error {
		_, err := h.db.SubmitVersion(r.Context(), a, d, v, version)
		return err
	}, "library.flash.submitted", false)(w, r)
}

func (h *handler) versionReturn(w http.ResponseWriter, r *http.Request) {
	h.versionMove(func(r *http.Request, a isms.Actor, d, v int64, version int) error {
		_, err := h.db.ReturnVersion(r.Context(), a, d, v, version)
		return err
	}, "library.flash.returned", false)(w, r)
}

func (h *handler) draftDelete(w http.ResponseWriter, r *http.Request) {
	h.versionMove(func(r *http.Request, a isms.Actor, d, v int64, version int) error {
		return h.db.DeleteDraft(r.Context(), a, d, v, version)
	}, "library.flash.draft_deleted", true)(w, r)
}

// versionApprove records the approval of the CISO or, for the committee, with its meeting day.
// Whoever wrote or submitted the version is refused with the reason on the page (403).
func (h *handler) versionApprove(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	docID, versionID, ok := h.pathVersionID(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	f := web.LibraryApproveForm{By: r.PostFormValue("by"), Note: r.PostFormValue("approval_note")}
	in := isms.PolicyApproval{ByCommittee: f.By == "committee", Note: f.Note, Version: int(formInt(r, "version"))}
	in.MeetingOn, f.MeetingOn = postedDay(r, "meeting_on", fe)
	err := fe.Err()
	if err == nil {
		_, err = h.db.ApproveVersion(ctx, isms.ActorFrom(ctx), docID, versionID, in)
	}
	if errors.Is(err, isms.ErrOwnVersion) {
		h.renderVersion(w, r, http.StatusForbidden, docID, versionID, web.LibraryVersionView{OwnVersion: true})
		return
	}
	h.versionSaved(w, r, docID, versionID, err, "library.flash.approved", versionPath(docID, versionID), func(v *web.LibraryVersionView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Approve = f
	})
}

func (h *handler) versionPublish(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	docID, versionID, ok := h.pathVersionID(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	var f web.LibraryPublishForm
	in := isms.PolicyPublication{Version: int(formInt(r, "version"))}
	in.EffectiveOn, f.EffectiveOn = postedDay(r, "effective_on", fe)
	err := fe.Err()
	if err == nil {
		_, err = h.db.PublishVersion(ctx, isms.ActorFrom(ctx), docID, versionID, in)
	}
	h.versionSaved(w, r, docID, versionID, err, "library.flash.published", libraryPath(docID), func(v *web.LibraryVersionView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Publish = f
	})
}

// attachmentUpload attaches the PDF sent to a draft: over isms.MaxPolicyAttachment is 413, a file
// that is not a PDF (by its first bytes, whatever its name) 422, both with the reason beside the
// field.
func (h *handler) attachmentUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	docID, versionID, ok := h.pathVersionID(w, r)
	if !ok {
		return
	}
	// The form's other fields are small; the bound is the file's with room for them.
	raiseBodyLimit(w, r, isms.MaxPolicyAttachment+64<<10)
	refuse := func(status int, key string) {
		h.renderVersion(w, r, status, docID, versionID, web.LibraryVersionView{Upload: isms.FieldErrors{"file": key}})
	}
	file, header, err := r.FormFile("file")
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		refuse(http.StatusRequestEntityTooLarge, "library.error.too_large")
		return
	}
	if err != nil {
		refuse(http.StatusUnprocessableEntity, "library.error.no_file")
		return
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, isms.MaxPolicyAttachment+1))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(content) > isms.MaxPolicyAttachment {
		refuse(http.StatusRequestEntityTooLarge, "library.error.too_large")
		return
	}
	err = h.db.AttachPDF(ctx, isms.ActorFrom(ctx), docID, versionID, int(formInt(r, "version")), cleanFileName(header.Filename), content)
	h.versionSaved(w, r, docID, versionID, err, "library.flash.attached", versionPath(docID, versionID), func(v *web.LibraryVersionView, errs isms.FieldErrors) {
		v.Upload = errs
	})
}

func (h *handler) attachmentDelete(w http.ResponseWriter, r *http.Request) {
	h.versionMove(func(r *http.Request, a isms.Actor, d, v int64, version int) error {
		return h.db.DetachPDF(r.Context(), a, d, v, version)
	}, "library.flash.detached", false)(w, r)
}

// attachmentDownload sends a version's PDF as a download, never to be shown in the page's origin.
func (h *handler) attachmentDownload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	docID, versionID, ok := h.pathVersionID(w, r)
	if !ok {
		return
	}
	att, err := h.db.FindAttachment(ctx, isms.ActorFrom(ctx), docID, versionID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.FileName}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(att.Content)))
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(att.Content)
}

// libraryDiff shows the difference between two versions (?from=&to=): by default the version in
// force and the newest other version.
func (h *handler) libraryDiff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	versions, err := h.db.FindDocumentVersions(ctx, actor, d.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := web.LibraryDiffView{Document: d, Versions: versions}
	from, to := formInt(r, "from"), formInt(r, "to")
	if from == 0 && to == 0 && len(versions) > 1 {
		to, from = versions[0].ID, versions[1].ID
		if d.PublishedID != 0 && d.PublishedID != to {
			from = d.PublishedID
		}
	}
	for _, x := range versions {
		if x.ID == from {
			v.From = x
		}
		if x.ID == to {
			v.To = x
		}
	}
	if (from != 0 && v.From.ID == 0) || (to != 0 && v.To.ID == 0) {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such version"))
		return
	}
	if v.From.ID != 0 && v.To.ID != 0 {
		v.Lines = isms.LineDiff(v.From.Body, v.To.Body)
	}
	h.render(w, r, http.StatusOK, web.LibraryDiffPage(v))
}

// renderReviewForm shows the form scheduling a review with the accounts to choose from.
func (h *handler) renderReviewForm(w http.ResponseWriter, r *http.Request, status int, f web.LibraryReviewForm) {
	var err error
	if f.Reviewers, err = h.db.FindPolicyReviewers(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.LibraryReviewFormPage(f))
}

// reviewNew is the form of a review: the yearly one by default, due on the document's next
// review day when it has one.
func (h *handler) reviewNew(w http.ResponseWriter, r *http.Request) {
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	f := web.LibraryReviewForm{Document: d, Input: isms.PolicyReviewInput{Reason: isms.ReviewScheduled}, DueOn: formDate(d.NextReviewOn)}
	if r.URL.Query().Get("trigger") == string(isms.TriggerIncident) {
		f.Input.Reason, f.Input.TriggerKind, f.TriggerID = isms.ReviewEvent, isms.TriggerIncident, r.URL.Query().Get("id")
	}
	h.renderReviewForm(w, r, http.StatusOK, f)
}

func (h *handler) reviewCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	d, ok := pathRecord(h, w, r, h.db.FindPolicyDocument)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	f := web.LibraryReviewForm{Document: d, TriggerID: r.PostFormValue("trigger_id")}
	in := isms.PolicyReviewInput{ReviewerID: formInt(r, "reviewer"), Reason: isms.ReviewReason(r.PostFormValue("reason")),
		TriggerKind: isms.ReviewTrigger(r.PostFormValue("trigger_kind")), Note: r.PostFormValue("note")}
	in.DueOn, f.DueOn = postedDay(r, "due_on", fe)
	if f.TriggerID != "" {
		n, err := strconv.ParseInt(f.TriggerID, 10, 64)
		fe.Check(err == nil && n > 0, "trigger_id", "library.error.trigger_id")
		in.TriggerID = n
	}
	f.Input = in
	err := fe.Err()
	if err == nil {
		_, err = h.db.SchedulePolicyReview(ctx, isms.ActorFrom(ctx), d.ID, in)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderReviewForm(w, r, http.StatusUnprocessableEntity, f)
	}) {
		return
	}
	h.done(w, r, "library.flash.review_scheduled", libraryPath(d.ID)+"#reviews-h")
}

// renderReview shows a review's page with the reviewer's outcome form as typed.
func (h *handler) renderReview(w http.ResponseWriter, r *http.Request, status int, v web.LibraryReviewView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	docID, ok := h.pathID(w, r)
	if !ok {
		return
	}
	reviewID, ok := h.pathSubID(w, r, "r")
	if !ok {
		return
	}
	var err error
	if v.Document, err = h.db.FindPolicyDocument(ctx, actor, docID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Review, err = h.db.FindPolicyReview(ctx, actor, docID, reviewID); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = actor.Day()
	h.render(w, r, status, web.LibraryReviewPage(v))
}

func (h *handler) reviewShow(w http.ResponseWriter, r *http.Request) {
	h.renderReview(w, r, http.StatusOK, web.LibraryReviewView{})
}

// reviewDecide records the reviewer's outcome: "no change" back to the review, "revise" on to
// the draft it opened.
func (h *handler) reviewDecide(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	docID, ok := h.pathID(w, r)
	if !ok {
		return
	}
	reviewID, ok := h.pathSubID(w, r, "r")
	if !ok {
		return
	}
	f := web.LibraryDecisionForm{Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("outcome_note"), Label: r.PostFormValue("label")}
	rev, err := h.db.DecidePolicyReview(ctx, isms.ActorFrom(ctx), docID, reviewID, isms.PolicyReviewDecision{
		Outcome: isms.ReviewOutcome(f.Outcome), Note: f.Note, Label: f.Label, Version: int(formInt(r, "version"))})
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors = errs
		h.renderReview(w, r, status, web.LibraryReviewView{Decision: f, Conflict: conflict})
	}) {
		return
	}
	if rev.DraftVersionID != 0 {
		h.done(w, r, "library.flash.revising", versionPath(docID, rev.DraftVersionID)+"/edit")
		return
	}
	h.done(w, r, "library.flash.no_change", reviewPath(docID, reviewID))
}
