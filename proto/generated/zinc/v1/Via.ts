// Original file: proto/zinc.proto


/**
 * Who forwarded a request, and how many times it has been forwarded already. Only a daemon sets
 * it: a Via from the local socket is ignored. `user`/`uid` name the account the request acts as in
 * the forwarding daemon's domain; the receiver believes it only from a peer whose certificate it
 * verified, and maps it to one of its own accounts (docs/security.md, "Users across domains").
 */
export interface Via {
  'originHost'?: (string);
  'originDomain'?: (string);
  'hops'?: (number);
  'user'?: (string);
  'uid'?: (number);
}

/**
 * Who forwarded a request, and how many times it has been forwarded already. Only a daemon sets
 * it: a Via from the local socket is ignored. `user`/`uid` name the account the request acts as in
 * the forwarding daemon's domain; the receiver believes it only from a peer whose certificate it
 * verified, and maps it to one of its own accounts (docs/security.md, "Users across domains").
 */
export interface Via__Output {
  'originHost': (string);
  'originDomain': (string);
  'hops': (number);
  'user': (string);
  'uid': (number);
}
