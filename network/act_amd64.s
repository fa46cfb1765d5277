#include "textflag.h"

// math.Tanh in float64, four numbers at a time (AVX2 and FMA), for the
// validation pass: the same operations in the same order as math.Tanh and,
// for 0.625 <= |x| <= 44.01, as math.Exp's assembly on a CPU with FMA
// (exp_amd64.s), so the same bits. c is act64Consts (act_amd64.go), each
// constant as four lanes, 32 bytes apart.

#define SIGN 0(R8)
#define ABS 32(R8)
#define BIG 64(R8)
#define MID 96(R8)
#define TWO 128(R8)
#define ONE 160(R8)
#define LOG2E 192(R8)
#define LN2U 224(R8)
#define LN2L 256(R8)
#define SIXTEENTH 288(R8)
#define E64 320(R8)
#define E56 352(R8)
#define E48 384(R8)
#define E40 416(R8)
#define E32 448(R8)
#define E24 480(R8)
#define HALF 512(R8)
#define P0 544(R8)
#define P1 576(R8)
#define P2 608(R8)
#define Q0 640(R8)
#define Q1 672(R8)
#define Q2 704(R8)
#define I3FF 736(R8)
#define ZERO 768(R8)

// func tanhBias64(z, b *float64, n int, c *[25][4]uint64)
// z[i] = math.Tanh(z[i] + b[i]) for i < n, a multiple of 4.
TEXT ·tanhBias64(SB), NOSPLIT, $0-32
	MOVQ z+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	SHRQ $2, CX
	JE   donetanh64

looptanh64:
	VMOVUPD (DI), Y0
	VADDPD  (SI), Y0, Y0
	VANDPD  ABS, Y0, Y1

	// s = Exp(2|x|), as exp_amd64.s's FMA path
	VMULPD       TWO, Y1, Y2
	VMULPD       LOG2E, Y2, Y3
	VCVTPD2DQY   Y3, X4
	VCVTDQ2PD    X4, Y3
	VFNMADD231PD LN2U, Y3, Y2
	VFNMADD231PD LN2L, Y3, Y2
	VMULPD       SIXTEENTH, Y2, Y2
	VMOVUPD      E64, Y5
	VFMADD213PD  E56, Y2, Y5
	VFMADD213PD  E48, Y2, Y5
	VFMADD213PD  E40, Y2, Y5
	VFMADD213PD  E32, Y2, Y5
	VFMADD213PD  E24, Y2, Y5
	VFMADD213PD  HALF, Y2, Y5
	VFMADD213PD  ONE, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       TWO, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       TWO, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       TWO, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       TWO, Y2, Y5
	VFMADD213PD  ONE, Y5, Y2
	VPMOVSXDQ    X4, Y6
	VPADDQ       I3FF, Y6, Y6
	VPSLLQ       $52, Y6, Y6
	VMULPD       Y6, Y2, Y2

	// mid: 1 - 2/(s+1), negated for x < 0
	VADDPD  ONE, Y2, Y7
	VMOVUPD TWO, Y8
	VDIVPD  Y7, Y8, Y8
	VMOVUPD ONE, Y9
	VSUBPD  Y8, Y9, Y9
	VCMPPD  $1, ZERO, Y0, Y10
	VANDPD  SIGN, Y10, Y10
	VXORPD  Y10, Y9, Y9

	// small: x + x*s*P(s)/Q(s), s = x*x; x itself for x == 0
	VMULPD  Y0, Y0, Y11
	VMULPD  P0, Y11, Y12
	VADDPD  P1, Y12, Y12
	VMULPD  Y11, Y12, Y12
	VADDPD  P2, Y12, Y12
	VADDPD  Q0, Y11, Y13
	VMULPD  Y11, Y13, Y13
	VADDPD  Q1, Y13, Y13
	VMULPD  Y11, Y13, Y13
	VADDPD  Q2, Y13, Y13
	VMULPD  Y11, Y0, Y14
	VMULPD  Y12, Y14, Y14
	VDIVPD  Y13, Y14, Y14
	VADDPD  Y14, Y0, Y14
	VCMPPD  $0, ZERO, Y0, Y15
	VBLENDVPD Y15, Y0, Y14, Y14

	// pick: small, mid for |x| >= 0.625, ±1 for |x| > 44.01
	VCMPPD    $13, MID, Y1, Y15
	VBLENDVPD Y15, Y9, Y14, Y14
	VXORPD    ONE, Y10, Y9
	VCMPPD    $14, BIG, Y1, Y15
	VBLENDVPD Y15, Y9, Y14, Y14
	VMOVUPD   Y14, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	DECQ      CX
	JNZ       looptanh64

donetanh64:
	VZEROUPPER
	RET
