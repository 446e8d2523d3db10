// Original file: proto/zinc.proto


export interface DoctorCheck {
  'name'?: (string);
  'ok'?: (boolean);
  'detail'?: (string);
  /**
   * what to do when !ok
   */
  'fix'?: (string);
  /**
   * a problem that does not stop zinc from working
   */
  'warning'?: (boolean);
}

export interface DoctorCheck__Output {
  'name': (string);
  'ok': (boolean);
  'detail': (string);
  /**
   * what to do when !ok
   */
  'fix': (string);
  /**
   * a problem that does not stop zinc from working
   */
  'warning': (boolean);
}
