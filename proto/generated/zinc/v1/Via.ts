// Original file: proto/zinc.proto


/**
 * Who forwarded a request, and how many times it has been forwarded already.
 */
export interface Via {
  'originHost'?: (string);
  'originDomain'?: (string);
  'hops'?: (number);
}

/**
 * Who forwarded a request, and how many times it has been forwarded already.
 */
export interface Via__Output {
  'originHost': (string);
  'originDomain': (string);
  'hops': (number);
}
