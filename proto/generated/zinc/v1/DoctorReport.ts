// Original file: proto/zinc.proto

import type { DoctorCheck as _zinc_v1_DoctorCheck, DoctorCheck__Output as _zinc_v1_DoctorCheck__Output } from '../../zinc/v1/DoctorCheck.js';

export interface DoctorReport {
  'host'?: (string);
  'checks'?: (_zinc_v1_DoctorCheck)[];
}

export interface DoctorReport__Output {
  'host': (string);
  'checks': (_zinc_v1_DoctorCheck__Output)[];
}
