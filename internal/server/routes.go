package server

import (
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// routes is the portal's whole URL map. Every state change is a POST, and every POST has passed
// CrossOriginProtection before it reaches a handler.
func (h *handler) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(h.requestInfo, h.logRequest, h.recoverPanic, secureHeaders, h.crossOriginProtection, limitBody)
	// Error pages speak the reader's language, so they too load the session.
	withSession := func(fn http.HandlerFunc) http.HandlerFunc {
		return h.loadSession(h.locale(h.authenticate(fn))).ServeHTTP
	}
	r.NotFound(withSession(h.notFound))
	r.MethodNotAllowed(withSession(h.methodNotAllowed))

	// Outside the session: probes and files must not create or touch sessions.
	r.Get("/healthz", h.healthz)
	static, _ := fs.Sub(web.Static, "static")
	r.Handle("/static/*", http.StripPrefix("/static/", noCache(http.FileServerFS(static))))

	r.Group(func(r chi.Router) {
		r.Use(h.loadSession, h.locale, h.authenticate)
		r.Post("/lang", h.langUpdate)

		// Signing in and out.
		r.Get("/login", h.loginShow)
		r.Post("/login", h.loginCreate)
		r.Get("/login/mfa", h.loginMFAShow)
		r.Post("/login/mfa", h.loginMFACreate)
		r.Get("/login/mfa/setup", h.loginEnrolShow)
		r.Post("/login/mfa/setup", h.loginEnrolCreate)
		r.Post("/logout", h.logout)

		r.Group(func(r chi.Router) {
			r.Use(h.requireSignIn, h.countPending, h.countNotifications, h.countIncidentQueue)
			r.Get("/", h.homeShow)
			r.Get("/dashboard", h.dashboardShow)
			r.Get("/profile", h.profileShow)
			r.Post("/profile/preferences", h.preferencesUpdate)
			r.Get("/profile/password", h.passwordShow)
			r.Post("/profile/password", h.passwordUpdate)
			r.Get("/profile/mfa", h.mfaShow)
			r.Post("/profile/mfa", h.mfaCreate)
			r.Get("/profile/recovery-codes", h.recoveryCodesShow)
			r.Post("/profile/recovery-codes", h.recoveryCodesCreate)

			// The organisation: every signed-in person reads it; units are kept by the security office.
			r.Get("/org", h.orgShow)
			r.Get("/org/matrix", h.orgMatrix)
			r.Get("/org/contacts", h.orgContacts)
			r.Get("/units/{id}", h.unitShow)
			r.With(h.requirePermission(isms.PermManageOrganisation)).Group(func(r chi.Router) {
				r.Get("/units/new", h.unitNew)
				r.Post("/units", h.unitCreate)
				r.Get("/units/{id}/edit", h.unitEdit)
				r.Post("/units/{id}", h.unitUpdate)
				r.Get("/units/{id}/close", h.unitCloseShow)
				r.Post("/units/{id}/close", h.unitClose)
			})

			// People (職員等), the security roles and who holds them. A person's page is scoped to
			// those who see the person's unit; the roles are read by everyone.
			r.Get("/people/{id}", h.personShow)
			r.Get("/org/roles", h.roleList)
			r.With(h.requirePermission(isms.PermManageOrganisation)).Group(func(r chi.Router) {
				r.Get("/people", h.personList)
				r.Get("/people/new", h.personNew)
				r.Post("/people", h.personCreate)
				r.Get("/people/{id}/edit", h.personEdit)
				r.Post("/people/{id}", h.personUpdate)
				r.Get("/people/{id}/move", h.personMoveShow)
				r.Post("/people/{id}/move", h.personMove)
				r.Get("/people/{id}/account", h.personAccountShow)
				r.Post("/people/{id}/account", h.personAccount)
				r.Get("/org/roles/{code}/edit", h.roleEdit)
				r.Post("/org/roles/{code}", h.roleUpdate)
				r.Get("/assignments/new", h.assignmentNew)
				r.Post("/assignments", h.assignmentCreate)
				r.Get("/assignments/{id}/edit", h.assignmentEdit)
				r.Post("/assignments/{id}", h.assignmentUpdate)
				r.Post("/assignments/{id}/end", h.assignmentEnd)
			})

			// Personnel rotations (人事異動): prepared as a sheet, applied at once.
			r.With(h.requirePermission(isms.PermManageOrganisation)).Group(func(r chi.Router) {
				r.Get("/rotations", h.rotationList)
				r.Get("/rotations/new", h.rotationNew)
				r.Post("/rotations", h.rotationCreate)
				r.Get("/rotations/{id}", h.rotationShow)
				r.Post("/rotations/{id}", h.rotationUpdate)
				r.Post("/rotations/{id}/delete", h.rotationDelete)
				r.Post("/rotations/{id}/lines", h.rotationLineCreate)
				r.Post("/rotations/{id}/lines/{line}/delete", h.rotationLineDelete)
				r.Post("/rotations/{id}/apply", h.rotationApply)
			})

			// The information asset register (情報資産管理台帳): read within each person's scope
			// (the store answers 404 outside it); registered and edited by staff for their units and
			// by the security office; the CISO permits 例外措置.
			r.Get("/assets", h.assetList)
			r.Get("/assets/export", h.assetExport)
			r.Get("/assets/new", h.assetNew)
			r.Post("/assets", h.assetCreate)
			r.Get("/assets/{id}", h.assetShow)
			r.Get("/assets/{id}/edit", h.assetEdit)
			r.Post("/assets/{id}", h.assetUpdate)
			r.Get("/assets/{id}/label", h.assetLabel)
			r.With(h.requirePermission(isms.PermGrantExceptions)).Post("/assets/{id}/exceptions", h.assetExceptionCreate)

			// Imports of the registers from spreadsheets: each import belongs to the person who
			// uploaded it; the store decides who may import into which register.
			r.Get("/imports", h.importNew)
			r.Post("/imports", h.importCreate)
			r.Get("/imports/template/{kind}", h.importTemplate)
			r.Get("/imports/{id}", h.importShow)
			r.Post("/imports/{id}/check", h.importCheck)
			r.Post("/imports/{id}/commit", h.importCommit)

			// The classification standard (分類基準): read by everyone, kept by the security office.
			// A person who may edit an asset confirms the levels a scheme switch mapped it to.
			r.Get("/classification", h.classificationShow)
			r.With(h.requirePermission(isms.PermManageClassification)).Group(func(r chi.Router) {
				r.Get("/classification/levels/{code}/edit", h.levelEdit)
				r.Post("/classification/levels/{code}", h.levelUpdate)
				r.Get("/classification/levels/{code}/restrictions", h.levelRestrictionsEdit)
				r.Post("/classification/levels/{code}/restrictions", h.levelRestrictionsUpdate)
				r.Get("/classification/restrictions/{code}/edit", h.restrictionEdit)
				r.Post("/classification/restrictions/{code}", h.restrictionUpdate)
				r.Get("/classification/switch", h.schemeSwitchShow)
				r.Post("/classification/switch", h.schemeSwitch)
			})
			r.Post("/assets/{id}/reclassify/confirm", h.assetReclassifyConfirm)

			// Approvals of transport, provision and disposal (V-A2, V-A3): asked by those who keep the
			// asset, decided by the unit's 情報セキュリティ管理者 (never the requester); the store
			// decides who may, and answers 404 outside the reader's scope.
			r.Get("/requests", h.requestInbox)
			r.Get("/requests/{id}", h.requestShow)
			r.Post("/requests/{id}/approve", h.requestApprove)
			r.Post("/requests/{id}/refuse", h.requestRefuse)
			r.Post("/requests/{id}/withdraw", h.requestWithdraw)
			r.Post("/requests/{id}/complete", h.requestComplete)
			r.Get("/assets/{id}/requests/new", h.requestNew)
			r.Post("/assets/{id}/requests", h.requestCreate)
			r.Post("/assets/{id}/disposal", h.requestDisposal)

			// 棚卸: the yearly confirmation of each 課's register by its 管理者.
			r.Get("/ledger", h.ledgerShow)
			r.Get("/units/{id}/ledger", h.ledgerConfirmShow)
			r.Post("/units/{id}/ledger", h.ledgerConfirm)

			// The system register (情報システム台帳): read within each person's scope (the store
			// answers 404 outside it); kept by staff for their units and by the security office (the
			// CISO and auditors read it: 403 on its forms); the CISO permits 例外措置.
			r.Get("/systems", h.systemList)
			r.Get("/systems/{id}", h.systemShow)
			r.With(h.requireSystemEditor).Group(func(r chi.Router) {
				r.Get("/systems/new", h.systemNew)
				r.Post("/systems", h.systemCreate)
				r.Get("/systems/{id}/edit", h.systemEdit)
				r.Post("/systems/{id}", h.systemUpdate)
			})
			r.With(h.requirePermission(isms.PermGrantExceptions)).Post("/systems/{id}/exceptions", h.systemExceptionCreate)

			// The basic policy (情報セキュリティ基本方針): everyone signed in reads the version in force
			// and confirms it; its versions come from the policy library's publications. The status per
			// unit is scoped by the store: every unit for those who read all, a 管理者's own units, 403
			// for others.
			r.Get("/policy", h.policyShow)
			r.Post("/policy/acknowledge", h.policyAcknowledge)
			r.Get("/policy/status", h.policyStatus)

			// Training (研修・訓練): the course catalogue and the plan of each fiscal year are read by
			// everyone signed in; the security office keeps them, records the sessions held and
			// their attendance (a unit's roster at once, or an e-learning list through the import).
			r.Get("/training/courses", h.courseList)
			r.Get("/training/plans/{fy}", h.planShow)
			r.With(h.requirePermission(isms.PermManageTraining)).Group(func(r chi.Router) {
				r.Get("/training/courses/new", h.courseNew)
				r.Post("/training/courses/new", h.courseCreate)
				r.Get("/training/courses/{code}/edit", h.courseEdit)
				r.Post("/training/courses/{code}", h.courseUpdate)
				r.Post("/training/plans/{fy}", h.planSave)
				r.Post("/training/plans/{fy}/approve", h.planApprove)
				r.Get("/training/sessions", h.sessionList)
				r.Get("/training/sessions/new", h.sessionNew)
				r.Post("/training/sessions/new", h.sessionCreate)
				r.Get("/training/sessions/{id}", h.sessionShow)
				r.Get("/training/sessions/{id}/edit", h.sessionEdit)
				r.Post("/training/sessions/{id}", h.sessionUpdate)
				r.Post("/training/sessions/{id}/delete", h.sessionDelete)
				r.Get("/training/sessions/{id}/roster", h.rosterShow)
				r.Post("/training/sessions/{id}/roster", h.rosterSave)
			})

			// Who is due (研修の受講状況): the status per unit and course and the committee's report
			// for those who follow units (staff are sent to their own record), a unit's 未受講者
			// for those who may read its people's names; the store keeps each to its scope.
			r.Get("/training", h.trainingShow)
			r.Get("/training/me", h.trainingMe)
			r.Get("/training/report", h.trainingReport)
			r.Get("/training/units/{id}", h.trainingUnit)

			// Incidents (情報セキュリティインシデント): any signed-in person reports one and reads the
			// incidents they may know of (404 for the others, in the store); the handlers (the
			// security office, CSIRT, the 窓口) triage, move, assign and record actions and reports
			// (403 for the others who see the incident); everyone but auditors adds to the timeline.
			r.Get("/incidents", h.incidentList)
			r.Get("/incidents/new", h.incidentNew)
			r.Post("/incidents", h.incidentCreate)
			r.Get("/incidents/{id}", h.incidentShow)
			r.Post("/incidents/{id}/events", h.incidentEventCreate)
			r.Get("/incidents/{id}/triage", h.incidentTriageShow)
			r.Post("/incidents/{id}/triage", h.incidentTriage)
			r.Post("/incidents/{id}/move", h.incidentMove)
			r.Post("/incidents/{id}/assignee", h.incidentAssign)
			r.Post("/incidents/{id}/actions", h.incidentActionCreate)
			r.Post("/incidents/{id}/actions/{action}/done", h.incidentActionDone)
			r.Post("/incidents/{id}/reports", h.incidentReportCreate)
			r.Post("/incidents/{id}/reports/{report}", h.incidentReportUpdate)
			// Their statistics for those who see every incident (403 for others),
			// the printable PPC report of an incident (404 outside the reader's incidents, 403 for
			// those who see it but do not report it), and the PPC rules of the security office.
			r.Get("/incidents/stats", h.incidentStats)
			r.Get("/incidents/{id}/ppc", h.incidentPPC)
			r.With(h.requirePermission(isms.PermHandleIncidents)).Group(func(r chi.Router) {
				r.Get("/incidents/rules", h.incidentRulesShow)
				r.Post("/incidents/rules", h.incidentRulesUpdate)
			})

			// Notifications: each person's own.
			r.Get("/notifications", h.notificationList)
			r.Post("/notifications/read", h.notificationReadAll)
			r.Post("/notifications/{id}/read", h.notificationRead)

			// The policy library (ポリシー文書) and its reviews: every signed-in person reads the
			// documents the store lets them (a restricted one is 404 for others); the security office
			// keeps documents and schedules reviews; the store decides who writes drafts (the office,
			// a document's reviewers), approves (the CISO, the committee; never an author) and
			// publishes (the office), 403 for others.
			r.Get("/policies", h.libraryList)
			r.With(h.requirePermission(isms.PermManagePolicies)).Group(func(r chi.Router) {
				r.Get("/policies/new", h.libraryNew)
				r.Post("/policies", h.libraryCreate)
				r.Get("/policies/{id}/edit", h.libraryEdit)
				r.Post("/policies/{id}", h.libraryUpdate)
				r.Get("/policies/{id}/reviews/new", h.reviewNew)
				r.Post("/policies/{id}/reviews", h.reviewCreate)
			})
			r.Get("/policies/{id}", h.libraryShow)
			r.Get("/policies/{id}/diff", h.libraryDiff)
			r.Get("/policies/{id}/versions/new", h.draftNew)
			r.Post("/policies/{id}/versions", h.draftCreate)
			r.Get("/policies/{id}/versions/{v}", h.versionShow)
			r.Get("/policies/{id}/versions/{v}/edit", h.draftEdit)
			r.Post("/policies/{id}/versions/{v}", h.draftUpdate)
			r.Post("/policies/{id}/versions/{v}/delete", h.draftDelete)
			r.Post("/policies/{id}/versions/{v}/submit", h.versionSubmit)
			r.Post("/policies/{id}/versions/{v}/return", h.versionReturn)
			r.Post("/policies/{id}/versions/{v}/approve", h.versionApprove)
			r.Post("/policies/{id}/versions/{v}/publish", h.versionPublish)
			r.Get("/policies/{id}/versions/{v}/attachment", h.attachmentDownload)
			r.Post("/policies/{id}/versions/{v}/attachment", h.attachmentUpload)
			r.Post("/policies/{id}/versions/{v}/attachment/delete", h.attachmentDelete)
			r.Get("/policies/{id}/reviews/{r}", h.reviewShow)
			r.Post("/policies/{id}/reviews/{r}/outcome", h.reviewDecide)

			// The information security committee (情報セキュリティ委員会): its meetings, agenda and
			// decisions, and the yearly improvement plan, read by the security office, the CISO,
			// auditors and the members (403 for others) and kept by the security office. A measure of
			// the plan is read by those who see its unit, and its 管理者 record progress (the store
			// decides).
			r.With(h.requireCommitteeReader).Group(func(r chi.Router) {
				r.Get("/committee", h.committeeShow)
				r.Get("/committee/meetings/{id}", h.meetingShow)
				r.Get("/committee/improvement/{fy}", h.improvementShow)
			})
			r.With(h.requirePermission(isms.PermManageCommittee)).Group(func(r chi.Router) {
				r.Get("/committee/meetings/new", h.meetingNew)
				r.Post("/committee/meetings", h.meetingCreate)
				r.Get("/committee/meetings/{id}/edit", h.meetingEdit)
				r.Post("/committee/meetings/{id}", h.meetingUpdate)
				r.Post("/committee/meetings/{id}/agenda", h.agendaCreate)
				r.Post("/committee/meetings/{id}/agenda/{item}/decision", h.agendaDecide)
				r.Post("/committee/meetings/{id}/agenda/{item}/delete", h.agendaRemove)
				r.Post("/committee/improvement/{fy}/items", h.improvementItemCreate)
				r.Post("/committee/improvement/{fy}/approve", h.improvementApprove)
				r.Post("/committee/improvement/items/{id}", h.improvementItemUpdate)
				r.Post("/committee/improvement/items/{id}/delete", h.improvementItemRemove)
			})
			r.Get("/committee/improvement/items/{id}", h.improvementItemShow)
			r.Post("/committee/improvement/items/{id}/progress", h.improvementProgress)

			// Planning: each person's tasks, and the fiscal year's calendar, for everyone signed in.
			r.Get("/tasks", h.tasksShow)
			r.Get("/calendar", h.calendarShow)

			// Information security audits (/audits; the audit trail is /audit): everyone signed in
			// reaches them and reads what the store lets them (404 for the rest); the audit manager
			// plans, the auditors write findings and verify, the units' managers act and answer
			// checks (403 for others who see the record).
			r.Get("/audits", h.securityAuditIndex)
			r.Get("/audits/plans/{fy}", h.securityAuditPlanShow)
			r.Post("/audits/plans/{fy}", h.securityAuditPlanSave)
			r.Post("/audits/plans/{fy}/approve", h.securityAuditPlanApprove)
			r.Get("/audits/new", h.securityAuditNew)
			r.Post("/audits/new", h.securityAuditCreate)
			r.Get("/audits/{id}", h.securityAuditShow)
			r.Get("/audits/{id}/edit", h.securityAuditEdit)
			r.Post("/audits/{id}", h.securityAuditUpdate)
			r.Post("/audits/{id}/notes", h.securityAuditNoteCreate)
			r.Get("/audits/{id}/report", h.securityAuditReport)
			r.Get("/audits/{id}/findings/new", h.auditFindingNew)
			r.Post("/audits/{id}/findings", h.auditFindingCreate)
			r.Get("/audits/findings/{id}", h.auditFindingShow)
			r.Post("/audits/findings/{id}/actions", h.auditActionCreate)
			r.Post("/audits/findings/{id}/actions/{action}/done", h.auditActionDone)
			r.Post("/audits/findings/{id}/actions/{action}/verify", h.auditActionVerify)
			r.Post("/audits/findings/{id}/checks", h.auditChecksCreate)
			r.Post("/audits/findings/{id}/checks/{check}", h.auditCheckAnswer)

			// Self-inspections (自己点検): everyone signed in reaches them and reads what the store lets
			// them (a sheet outside the reader's units is 404); the sheets' answerers answer, the
			// security office keeps the checklists and campaigns and reopens sheets (403 for others).
			r.Get("/inspections", h.inspectionList)
			r.Get("/inspections/checklists", h.inspectionChecklistList)
			r.Get("/inspections/checklists/{id}", h.inspectionChecklistShow)
			r.Get("/inspections/{id}", h.inspectionCampaignShow)
			r.Get("/inspections/{id}/report", h.inspectionReport)
			r.Get("/inspections/{id}/sheets/{sheet}", h.inspectionSheetShow)
			r.Post("/inspections/{id}/sheets/{sheet}", h.inspectionSheetSave)
			r.Post("/inspections/{id}/sheets/{sheet}/items/{item}/done", h.inspectionMeasureDone)
			r.With(h.requirePermission(isms.PermManageInspections)).Group(func(r chi.Router) {
				r.Post("/inspections/checklists", h.inspectionChecklistCreate)
				r.Post("/inspections/checklists/{id}", h.inspectionChecklistUpdate)
				r.Post("/inspections/checklists/{id}/status", h.inspectionChecklistStatus)
				r.Post("/inspections/checklists/{id}/items", h.inspectionItemCreate)
				r.Get("/inspections/checklists/{id}/items/{item}", h.inspectionItemEdit)
				r.Post("/inspections/checklists/{id}/items/{item}", h.inspectionItemUpdate)
				r.Post("/inspections/checklists/{id}/items/{item}/delete", h.inspectionItemDelete)
				r.Get("/inspections/new", h.inspectionCampaignNew)
				r.Post("/inspections", h.inspectionCampaignCreate)
				r.Get("/inspections/{id}/edit", h.inspectionCampaignEdit)
				r.Post("/inspections/{id}", h.inspectionCampaignUpdate)
				r.Post("/inspections/{id}/open", h.inspectionCampaignOpen)
				r.Post("/inspections/{id}/close", h.inspectionCampaignClose)
				r.Post("/inspections/{id}/report", h.inspectionReportSent)
				r.Post("/inspections/{id}/sheets/{sheet}/reopen", h.inspectionSheetReopen)
			})

			// The registers of basic policy §6(8) at a glance: what needs action in each.
			r.Get("/outsourcing", h.outsourcingShow)

			// The outsourcing register (業務委託): scope and rights in the store (404 outside the reader's units, 403 for changes).
			r.Get("/contracts", h.contractList)
			r.Get("/contracts/new", h.contractNew)
			r.Post("/contracts", h.contractCreate)
			r.Get("/contracts/{id}", h.contractShow)
			r.Get("/contracts/{id}/edit", h.contractEdit)
			r.Post("/contracts/{id}", h.contractUpdate)
			r.Post("/contracts/{id}/clauses", h.contractClausesSave)
			r.Post("/contracts/{id}/reports", h.contractReportCreate)
			r.Post("/contracts/{id}/checks", h.contractCheckCreate)
			r.Post("/contracts/{id}/end", h.contractEnd)
			r.Get("/contracts/{id}/certificate", h.contractCertificate)
			r.Post("/contracts/{id}/incidents", h.contractIncidentLink)
			r.Post("/contracts/{id}/incidents/{incident}/delete", h.contractIncidentUnlink)
			r.Get("/contractors/{id}", h.contractorShow)
			r.Get("/contractors/{id}/edit", h.contractorEdit)
			r.Post("/contractors/{id}", h.contractorUpdate)

			// External (cloud) services (外部サービス): read within each person's units and shared ones (404 outside), asked for and kept by staff, decided by the unit's 管理者 (the store decides, 403).
			r.Get("/external-services", h.externalServiceList)
			r.Get("/external-services/new", h.externalServiceNew)
			r.Post("/external-services", h.externalServiceCreate)
			r.Get("/external-services/{id}", h.externalServiceShow)
			r.Get("/external-services/{id}/edit", h.externalServiceEdit)
			r.Post("/external-services/{id}", h.externalServiceUpdate)
			r.Post("/external-services/{id}/decide", h.externalServiceDecide)
			r.Post("/external-services/{id}/raise", h.externalServiceRaise)
			r.Post("/external-services/{id}/lower", h.externalServiceLower)
			r.Post("/external-services/{id}/reviews", h.externalServiceReview)
			r.Post("/external-services/{id}/end", h.externalServiceEnd)

			// Social media accounts (ソーシャルメディアサービス): read within each person's units (404 outside), kept by staff and the security office, openings approved by the unit's 管理者 (the store decides, 403).
			r.Get("/social-accounts", h.socialAccountList)
			r.Get("/social-accounts/new", h.socialAccountNew)
			r.Post("/social-accounts", h.socialAccountCreate)
			r.Get("/social-accounts/{id}", h.socialAccountShow)
			r.Get("/social-accounts/{id}/edit", h.socialAccountEdit)
			r.Post("/social-accounts/{id}", h.socialAccountUpdate)
			r.Post("/social-accounts/{id}/owner", h.socialAccountOwner)
			r.Post("/social-accounts/{id}/opening/request", h.socialAccountRequestOpening)
			r.Post("/social-accounts/{id}/opening/approve", h.socialAccountApproveOpening)
			r.Post("/social-accounts/{id}/status", h.socialAccountStatus)
			r.Post("/social-accounts/{id}/checks", h.socialAccountCheck)

			// The security office's overview (対策状況の一覧): every unit's measures side by side, and
			// as a workbook, for those who read every unit (403 for others).
			r.With(h.requirePermission(isms.PermViewAllUnits)).Group(func(r chi.Router) {
				r.Get("/dashboard/units", h.overviewShow)
				r.Get("/dashboard/units.xlsx", h.overviewExport)
			})

			r.With(h.requirePermission(isms.PermViewAuditTrail)).Get("/audit", h.auditList)

			r.Route("/admin", func(r chi.Router) {
				r.With(h.requirePermission(isms.PermManageUsers)).Group(func(r chi.Router) {
					r.Get("/users", h.userList)
					r.Get("/users/new", h.userNew)
					r.Post("/users", h.userCreate)
					r.Get("/users/{id}", h.userShow)
					r.Get("/users/{id}/edit", h.userEdit)
					r.Post("/users/{id}", h.userUpdate)
					r.Post("/users/{id}/actions", h.userAction)
				})
				r.With(h.requirePermission(isms.PermManageSettings)).Group(func(r chi.Router) {
					r.Get("/settings", h.settingShow)
					r.Post("/settings", h.settingUpdate)
				})
			})
		})
	})
	return r
}
