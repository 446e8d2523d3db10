// Original file: proto/zinc.proto


/**
 * Why a job runs where it runs: every candidate host, its score, and why it lost.
 */
export interface PlacementCandidate {
  'host'?: (string);
  /**
   * passed every filter
   */
  'eligible'?: (boolean);
  /**
   * higher is better; only for eligible hosts
   */
  'score'?: (number | string);
  /**
   * why it was filtered out, or why it lost / won
   */
  'reason'?: (string);
  /**
   * inputs to the score (load, free memory, age, …)
   */
  'factors'?: ({[key: string]: string});
}

/**
 * Why a job runs where it runs: every candidate host, its score, and why it lost.
 */
export interface PlacementCandidate__Output {
  'host': (string);
  /**
   * passed every filter
   */
  'eligible': (boolean);
  /**
   * higher is better; only for eligible hosts
   */
  'score': (number);
  /**
   * why it was filtered out, or why it lost / won
   */
  'reason': (string);
  /**
   * inputs to the score (load, free memory, age, …)
   */
  'factors': ({[key: string]: string});
}
