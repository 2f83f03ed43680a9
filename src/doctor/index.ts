export { runDoctor, preflight, type DoctorOptions } from './doctor.js';
export type { CheckName, DoctorClients, DoctorReport, Finding, FindingStatus } from './types.js';
