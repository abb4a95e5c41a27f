// Decoding an ONNX file (a serialized onnx.ModelProto, protocol buffers) with protobufjs.
//
// The schema below is the part of ONNX's IR that a language model import reads: the model,
// its graph, nodes, attributes and tensors. The message names, field names and field
// numbers are those of ONNX's onnx.proto (proto2, package onnx; the ONNX IR spec,
// docs/IR.md of github.com/onnx/onnx); fields not declared here (training info, sparse
// initializers, type protos, …) are skipped by the decoder, as protocol buffers specify for
// unknown fields. It is written out here rather than loaded from a .proto file so that the
// bundled engine needs no file at run time.
import protobuf from 'protobufjs';
import type { Long } from 'protobufjs';

const ONNX_SUBSET_PROTO = `
syntax = "proto2";
package onnx;

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}

message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
}

message AttributeProto {
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  optional int32 type = 20;
  optional string ref_attr_name = 21;
}

message ValueInfoProto {
  optional string name = 1;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}

message FunctionProto {
  optional string name = 1;
  optional string domain = 10;
}

message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated FunctionProto functions = 25;
}
`;

/** An int64 field as the decoder gives it: a Long (protobufjs has the long package). */
export type Int64 = number | Long;

/** ONNX TensorProto.DataType values the import names or converts. */
export const ONNX_DTYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

const DTYPE_NAMES: Record<number, string> = {
  0: 'undefined',
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

export function dtypeName(t: number): string {
  return DTYPE_NAMES[t] ?? `ONNX data type ${t}`;
}

/** ONNX AttributeProto.AttributeType values. */
export const ONNX_ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface OnnxStringEntry {
  key: string;
  value: string;
}

export interface OnnxTensor {
  dims: Int64[];
  data_type: number;
  float_data: number[];
  int32_data: number[];
  string_data: Uint8Array[];
  int64_data: Int64[];
  name: string;
  raw_data: Uint8Array;
  double_data: number[];
  uint64_data: Int64[];
  external_data: OnnxStringEntry[];
  data_location: number;
}

export interface OnnxAttribute {
  name: string;
  f: number;
  i: Int64;
  s: Uint8Array;
  t: OnnxTensor | null;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
  tensors: OnnxTensor[];
  type: number;
  ref_attr_name: string;
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute: OnnxAttribute[];
  domain: string;
}

export interface OnnxValueInfo {
  name: string;
}

export interface OnnxGraph {
  node: OnnxNode[];
  name: string;
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version: Int64;
  producer_name: string;
  producer_version: string;
  graph: OnnxGraph | null;
  opset_import: { domain: string; version: Int64 }[];
  functions: { name: string; domain: string }[];
}

let modelType: protobuf.Type | null = null;

function onnxModelType(): protobuf.Type {
  if (!modelType) {
    const { root } = protobuf.parse(ONNX_SUBSET_PROTO, { keepCase: true });
    modelType = root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

/** A number from an int64 field; throws on one beyond 2^53 (no tensor dimension or attribute here is). */
export function int64(v: Int64): number {
  const n = typeof v === 'number' ? v : (v.unsigned ? v.high >>> 0 : v.high) * 2 ** 32 + (v.low >>> 0);
  if (!Number.isSafeInteger(n)) throw new RangeError(`an int64 value out of range (${String(v)})`);
  return n;
}

/**
 * Decodes a ModelProto. Throws protobufjs' error for bytes that are not a well-formed
 * message of this schema; the caller words it for the user.
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  // The reflection decoder builds the messages of the schema above, so their fields have
  // exactly the types OnnxModel declares (repeated fields: arrays, absent messages: null).
  return onnxModelType().decode(bytes) as unknown as OnnxModel;
}

/** Encodes a ModelProto (tests build their ONNX graphs with it). */
export function encodeOnnxModel(model: Partial<OnnxModel>): Uint8Array {
  const type = onnxModelType();
  return type.encode(type.fromObject(model)).finish();
}

/** Whether a proto2 optional field was present in the decoded bytes (not the prototype's default). */
export function hasField(message: object, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, field);
}
