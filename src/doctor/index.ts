export { runDoctor, preflight, type DoctorOptions } from './doctor.js';
export { createDoctorClients, type DoctorClients } from './clients.js';
export type { CheckName, DoctorReport, Finding, FindingStatus } from './types.js';
