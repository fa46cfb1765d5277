package export

import "google.golang.org/protobuf/encoding/protowire"

// message is an encoded protobuf message under construction. The ONNX
// writer needs a dozen of onnx.proto's messages and a few of their fields;
// writing them with protowire keeps evonas free of a generated ONNX package
// (the tests read the result back with gonnx's generated types, and
// onnx.checker and OpenCV check it).
type message []byte

func (m message) varint(field protowire.Number, v int64) message {
	m = protowire.AppendTag(m, field, protowire.VarintType)
	return protowire.AppendVarint(m, uint64(v))
}

func (m message) bytes(field protowire.Number, b []byte) message {
	m = protowire.AppendTag(m, field, protowire.BytesType)
	return protowire.AppendBytes(m, b)
}

func (m message) str(field protowire.Number, s string) message {
	m = protowire.AppendTag(m, field, protowire.BytesType)
	return protowire.AppendString(m, s)
}

func (m message) sub(field protowire.Number, sub message) message { return m.bytes(field, sub) }

// Field numbers of onnx.proto (ONNX 1.8 and later; they never change).
const (
	modelIRVersion       = 1
	modelProducerName    = 2
	modelProducerVersion = 3
	modelDocString       = 6
	modelGraph           = 7
	modelOpsetImport     = 8
	modelMetadataProps   = 14

	opsetDomain  = 1
	opsetVersion = 2

	entryKey   = 1
	entryValue = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName = 1
	attrI    = 3
	attrType = 20
	attrINT  = 2 // AttributeProto.AttributeType INT

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9
	tensorFLOAT    = 1 // TensorProto.DataType FLOAT

	valueName = 1
	valueType = 2

	typeTensorType = 1
	tensorElemType = 1
	tensorShape    = 2
	shapeDim       = 1
	dimValue       = 1
	dimParam       = 2
)
