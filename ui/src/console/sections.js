// The console's sections: what each is for, who may use it (the roles the services' policies
// admit for its calls), and its module.
import * as audit from './audit.js';
import * as consultations from './consultations.js';
import * as institutions from './institutions.js';
import * as international from './international.js';
import * as meetings from './meetings.js';
import * as plans from './plans.js';
import * as progress from './progress.js';
import * as rapporteur from './rapporteur.js';
import * as statisticsUpload from './statistics-upload.js';

export const SECTIONS = [
  { id: 'institutions', title: 'console.institutions', roles: ['coordinator_office'], render: institutions.render },
  { id: 'mandate', title: 'console.mandate', roles: ['coordinator_office'], render: institutions.renderMandate },
  { id: 'plans', title: 'console.plans', roles: ['coordinator_office'], render: plans.render },
  { id: 'international', title: 'console.international', roles: ['coordinator_office'], render: international.render },
  { id: 'followup', title: 'console.followup', roles: ['reporting_institution'], render: international.renderResponses },
  { id: 'progress', title: 'console.progress', roles: ['reporting_institution', 'coordinator_office'], render: progress.render },
  { id: 'meetings', title: 'console.meetings', roles: ['commission_secretariat'], render: meetings.render },
  { id: 'consultations', title: 'console.consultations', roles: ['commission_secretariat', 'commission_member', 'civil_society'], render: consultations.render },
  { id: 'statistics', title: 'console.statistics', roles: ['rapporteur_office', 'reporting_institution'], render: statisticsUpload.render },
  { id: 'recommendations', title: 'console.recommendations', roles: ['rapporteur_office'], render: rapporteur.renderRecommendations },
  { id: 'reports', title: 'console.reports', roles: ['rapporteur_office'], render: rapporteur.renderReports },
  { id: 'assessment', title: 'console.assessment', roles: ['rapporteur_office', 'rapporteur_analyst'], render: rapporteur.renderAssessment },
  { id: 'audit', title: 'console.audit', roles: ['coordinator_office', 'commission_secretariat', 'rapporteur_office'], render: audit.render },
];
