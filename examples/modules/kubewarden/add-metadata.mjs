#!/usr/bin/env node
// Embeds Kubewarden policy metadata into a Wasm module as the custom section
// "io.kubewarden.metadata" (compact UTF-8 JSON, key order kept).
//
//   node add-metadata.mjs <module.wasm> <metadata.json>
//
// The module is rewritten in place: any existing io.kubewarden.metadata
// section is dropped and the new one is appended at the end (a custom
// section: id 0, LEB128 size, LEB128 name length, name, payload). Run it
// after linking with --strip-all, which would otherwise remove the section.
import { readFileSync, writeFileSync } from 'node:fs';

const SECTION = 'io.kubewarden.metadata';

function leb128(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}

function readLeb128(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length || shift > 28) throw new Error('malformed LEB128 in the module');
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [value, pos];
  }
}

// Splits a module into its sections: [{ id, name (custom sections), bytes }].
function sections(wasm) {
  if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1)
    throw new Error('not a WebAssembly binary module (version 1)');
  const list = [];
  let pos = 8;
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos++];
    let size;
    [size, pos] = readLeb128(wasm, pos);
    const end = pos + size;
    if (end > wasm.length) throw new Error(`section ${id} at byte ${start} runs past the end of the module`);
    let name = null;
    if (id === 0) {
      const [len, at] = readLeb128(wasm, pos);
      name = wasm.subarray(at, at + len).toString('utf8');
    }
    list.push({ id, name, bytes: wasm.subarray(start, end) });
    pos = end;
  }
  return list;
}

function customSection(name, payload) {
  const nameBytes = Buffer.from(name, 'utf8');
  const body = Buffer.concat([leb128(nameBytes.length), nameBytes, payload]);
  return Buffer.concat([Buffer.from([0]), leb128(body.length), body]);
}

const [file, metadataFile] = process.argv.slice(2);
if (!file || !metadataFile) {
  console.error('usage: node add-metadata.mjs <module.wasm> <metadata.json>');
  process.exit(2);
}
const wasm = readFileSync(file);
const metadata = Buffer.from(JSON.stringify(JSON.parse(readFileSync(metadataFile, 'utf8'))), 'utf8');
const kept = sections(wasm).filter((s) => s.name !== SECTION).map((s) => s.bytes);
writeFileSync(file, Buffer.concat([wasm.subarray(0, 8), ...kept, customSection(SECTION, metadata)]));
