package isms

// Role is a person's role in the portal. It decides which pages they reach; which units' records
// they see is their scope (see Actor).
type Role string

// The portal roles. Their display names are in the message catalogue ("role.<code>").
const (
	RoleSystemAdmin    Role = "system_admin"    // accounts and master data; sees no registers by role alone
	RoleSecurityOffice Role = "security_office" // 統括情報セキュリティ責任者 and staff: manage everything
	RoleCISO           Role = "ciso"            // 最高情報セキュリティ責任者: read everything, approve
	RoleAuditor        Role = "auditor"         // read everything, write findings
	RoleStaff          Role = "staff"           // 職員等: their own unit
)

// Roles lists the roles in the order forms and filters show them.
var Roles = []Role{RoleStaff, RoleSecurityOffice, RoleCISO, RoleAuditor, RoleSystemAdmin}

// Valid reports whether r is one of the portal roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Permission names something an actor may do. Actor.Can is the one place that answers whether
// they may.
type Permission int

const (
	PermManageUsers          Permission = iota + 1 // create, edit, suspend accounts; reset passwords and MFA
	PermManageSettings                             // portal-wide settings such as which roles need MFA
	PermViewAuditTrail                             // read the audit trail
	PermViewAllUnits                               // read every unit's records
	PermManageOrganisation                         // units, people, security roles, assignments, rotations
	PermManageClassification                       // classification schemes, levels, handling restrictions
	PermEditAllRegisters                           // register and edit records of every unit
	PermGrantExceptions                            // permit a 例外措置 (the CISO)
	PermManageTraining                             // the course catalogue, training plans, sessions and attendance, policy versions
	PermHandleIncidents                            // judge and handle incidents, keep the PPC rules (with the CSIRT's holders)
	PermManagePolicies                             // the policy library: documents, drafts, publication, review schedules
	PermManageInspections                          // self-inspection checklists and campaigns, and their results
	PermManageAudits                               // the audit plan, audits and their auditors (with the 監査統括責任者 by role)
	PermManageCommittee                            // the committee's meetings, agenda and decisions
)

var permissions = map[Permission][]Role{
	PermManageUsers:    {RoleSystemAdmin},
	PermManageSettings: {RoleSystemAdmin},
	// Administrators do not review the trail of their own actions (segregation of duties).
	PermViewAuditTrail: {RoleSecurityOffice, RoleCISO, RoleAuditor},
	PermViewAllUnits:   {RoleSecurityOffice, RoleCISO, RoleAuditor},
	// The security office keeps the organisation; administrators keep it as master data.
	PermManageOrganisation: {RoleSecurityOffice, RoleSystemAdmin},
	// The classification is the policy's: kept by the security office, as master data also by
	// administrators.
	PermManageClassification: {RoleSecurityOffice, RoleSystemAdmin},
	// The CISO and auditors read everything but register nothing: they judge what others record.
	PermEditAllRegisters: {RoleSecurityOffice},
	PermGrantExceptions:  {RoleCISO},
	// Training is run for the CISO by the security office (domain.md §5.1).
	PermManageTraining: {RoleSecurityOffice},
	// The security office is the CSIRT's home in a town (domain.md §2.1); the CSIRT's members
	// handle incidents by their role (IncidentHandler).
	PermHandleIncidents: {RoleSecurityOffice},
	// The PDCA of the ISMS (basic policy §7–§9) is run for the CISO and the committee by the
	// security office; the 監査統括責任者 plans audits by the role held (isms.AuditManager).
	PermManagePolicies:    {RoleSecurityOffice},
	PermManageInspections: {RoleSecurityOffice},
	PermManageAudits:      {RoleSecurityOffice},
	PermManageCommittee:   {RoleSecurityOffice},
}
