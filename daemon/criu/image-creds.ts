/**
 * The credentials each task of a CRIU dump will be restored with, read from the images
 * themselves: core-<id>.img carries thread_core.creds (one per thread); images from older CRIUs
 * keep them in creds-<pid>.img. Only the fields zinc checks are declared below, with CRIU's field
 * numbers (images/core.proto and images/creds.proto); protobuf skips the rest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { ImageFormatError } from './errors.js';
import { CORE_MAGIC, CREDS_MAGIC, imageEntries } from './image-file.js';

const PROTO = `
syntax = "proto2";
message creds_entry {
  optional uint32 uid = 1;
  optional uint32 gid = 2;
  optional uint32 euid = 3;
  optional uint32 egid = 4;
  optional uint32 suid = 5;
  optional uint32 sgid = 6;
  optional uint32 fsuid = 7;
  optional uint32 fsgid = 8;
  repeated uint32 cap_inh = 9;
  repeated uint32 cap_prm = 10;
  repeated uint32 cap_eff = 11;
  repeated uint32 cap_bnd = 12;
  repeated uint32 groups = 14;
  repeated uint32 cap_amb = 19;
}
message thread_core_entry {
  optional creds_entry creds = 10;
}
message core_entry {
  optional thread_core_entry thread_core = 5;
}
`;

export interface TaskCreds {
  /** The image it came from, e.g. core-1.img (the id is the pid inside the job's namespace). */
  image: string;
  pid: number;
  uid: number;
  gid: number;
  euid: number;
  egid: number;
  suid: number;
  sgid: number;
  fsuid: number;
  fsgid: number;
  groups: number[];
  /** Capability sets as CRIU stores them: 32-bit words, low word first. */
  capInh: number[];
  capPrm: number[];
  capEff: number[];
  capBnd: number[];
  capAmb: number[];
}

let types: { core: protobuf.Type; creds: protobuf.Type } | undefined;
function schema(): { core: protobuf.Type; creds: protobuf.Type } {
  if (!types) {
    const root = protobuf.parse(PROTO, { keepCase: true }).root;
    types = { core: root.lookupType('core_entry'), creds: root.lookupType('creds_entry') };
  }
  return types;
}

interface RawCreds {
  uid?: number;
  gid?: number;
  euid?: number;
  egid?: number;
  suid?: number;
  sgid?: number;
  fsuid?: number;
  fsgid?: number;
  groups?: number[];
  cap_inh?: number[];
  cap_prm?: number[];
  cap_eff?: number[];
  cap_bnd?: number[];
  cap_amb?: number[];
}

/**
 * Every task's (and thread's) credentials in `imagesDir`. A core image without credentials must
 * have a creds-<pid>.img beside it (that is where CRIU then takes them from); otherwise the
 * images are refused as unreadable rather than trusted.
 */
export function readImageCreds(imagesDir: string): TaskCreds[] {
  const names = readdirSync(imagesDir);
  const out: TaskCreds[] = [];
  const legacy = new Set<number>();
  for (const name of names) {
    const m = /^creds-(\d+)\.img$/.exec(name);
    if (!m) continue;
    const entries = imageEntries(name, readFileSync(join(imagesDir, name)), CREDS_MAGIC);
    if (entries.length !== 1 || !entries[0]) throw new ImageFormatError(name, `${entries.length} entries, expected 1`);
    out.push(toCreds(name, Number(m[1]), decode(schema().creds, entries[0], name) as RawCreds));
    legacy.add(Number(m[1]));
  }
  for (const name of names) {
    const m = /^core-(\d+)\.img$/.exec(name);
    if (!m) continue;
    const entries = imageEntries(name, readFileSync(join(imagesDir, name)), CORE_MAGIC);
    if (entries.length !== 1 || !entries[0]) throw new ImageFormatError(name, `${entries.length} entries, expected 1`);
    const core = decode(schema().core, entries[0], name) as { thread_core?: { creds?: RawCreds } };
    const creds = core.thread_core?.creds;
    if (creds) out.push(toCreds(name, Number(m[1]), creds));
    else if (!legacy.has(Number(m[1]))) throw new ImageFormatError(name, 'no credentials in the core image and no creds image');
  }
  return out;
}

function decode(type: protobuf.Type, bytes: Buffer, file: string): object {
  try {
    return type.toObject(type.decode(bytes), { longs: Number, arrays: true, defaults: false });
  } catch (err) {
    throw new ImageFormatError(file, (err as Error).message);
  }
}

function toCreds(image: string, pid: number, c: RawCreds): TaskCreds {
  // The ids are required in CRIU's schema; a missing one is a crafted image.
  const id = (v: number | undefined, field: string): number => {
    if (v === undefined) throw new ImageFormatError(image, `credentials without ${field}`);
    return v;
  };
  return {
    image,
    pid,
    uid: id(c.uid, 'uid'),
    gid: id(c.gid, 'gid'),
    euid: id(c.euid, 'euid'),
    egid: id(c.egid, 'egid'),
    suid: id(c.suid, 'suid'),
    sgid: id(c.sgid, 'sgid'),
    fsuid: id(c.fsuid, 'fsuid'),
    fsgid: id(c.fsgid, 'fsgid'),
    groups: c.groups ?? [],
    capInh: c.cap_inh ?? [],
    capPrm: c.cap_prm ?? [],
    capEff: c.cap_eff ?? [],
    capBnd: c.cap_bnd ?? [],
    capAmb: c.cap_amb ?? [],
  };
}
