DROP TABLE improvement_items;
DROP TABLE improvement_plans;
DROP TABLE committee_agenda_items;
DROP TABLE committee_attendees;
DROP TABLE committee_meetings;
