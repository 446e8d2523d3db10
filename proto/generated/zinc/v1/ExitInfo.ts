// Original file: proto/zinc.proto


export interface ExitInfo {
  'ended'?: (boolean);
  /**
   * valid when signal is empty
   */
  'code'?: (number);
  /**
   * e.g. "SIGKILL"
   */
  'signal'?: (string);
}

export interface ExitInfo__Output {
  'ended': (boolean);
  /**
   * valid when signal is empty
   */
  'code': (number);
  /**
   * e.g. "SIGKILL"
   */
  'signal': (string);
}
