// The console's sections: what each is for, who may use it, and its module.
import * as audit from './audit.js';

export const SECTIONS = [
  {
    id: 'audit',
    title: 'console.audit',
    roles: ['coordinator_office', 'commission_secretariat', 'rapporteur_office'],
    render: audit.render,
  },
];
