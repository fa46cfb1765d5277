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

// The constants of eluBias64, in act64EluConsts: math.Expm1's.
#define ESIGN 0(R8)
#define EABS 32(R8)
#define EZERO 64(R8)
#define EONE 96(R8)
#define EHALF 128(R8)
#define ETHREE 160(R8)
#define ESIX 192(R8)
#define LN2X56 224(R8)
#define LN2HALFX3 256(R8)
#define LN2HALF 288(R8)
#define ELN2HI 320(R8)
#define ELN2LO 352(R8)
#define ENEGLN2LO 384(R8)
#define EINVLN2 416(R8)
#define ETINY 448(R8)
#define EQ1 480(R8)
#define EQ2 512(R8)
#define EQ3 544(R8)
#define EQ4 576(R8)
#define EQ5 608(R8)
#define EMONE 640(R8)

// func eluBias64(z, b *float64, n int, c *[21][4]uint64)
// v = z[i] + b[i]; z[i] = v < 0 ? math.Expm1(v) : v, for i < n, a
// multiple of 4: math.Expm1's operations for a negative argument, each of
// its cases computed and the lane's own picked.
TEXT ·eluBias64(SB), NOSPLIT, $0-32
	MOVQ z+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	SHRQ $2, CX
	JE   doneelu64

loopelu64:
	VMOVUPD (DI), Y0
	VADDPD  (SI), Y0, Y0
	VANDPD  EABS, Y0, Y1

	// reduction: k = int(InvLn2*x - 0.5), hi = x - k*Ln2Hi, lo = k*Ln2Lo,
	// or for |x| < 1.5 ln 2 k = -1, hi = x + Ln2Hi, lo = -Ln2Lo
	VMULPD      EINVLN2, Y0, Y2
	VSUBPD      EHALF, Y2, Y2
	VCVTTPD2DQY Y2, X3
	VCVTDQ2PD   X3, Y4
	VMULPD      ELN2HI, Y4, Y5
	VSUBPD      Y5, Y0, Y5
	VMULPD      ELN2LO, Y4, Y6
	VADDPD      ELN2HI, Y0, Y7
	VCMPPD      $1, LN2HALFX3, Y1, Y8
	VBLENDVPD   Y8, Y7, Y5, Y5
	VBLENDVPD   Y8, ENEGLN2LO, Y6, Y6
	VSUBPD      Y6, Y5, Y7
	VSUBPD      Y7, Y5, Y9
	VSUBPD      Y6, Y9, Y9
	// no reduction for |x| <= ln 2 / 2: x itself, c = 0
	VCMPPD      $14, LN2HALF, Y1, Y10
	VBLENDVPD   Y10, Y7, Y0, Y7
	VANDPD      Y10, Y9, Y9

	// e = hxs * ((r1 - t) / (6 - x*t))
	VMULPD  EHALF, Y7, Y11
	VMULPD  Y11, Y7, Y12
	VMULPD  EQ5, Y12, Y13
	VADDPD  EQ4, Y13, Y13
	VMULPD  Y12, Y13, Y13
	VADDPD  EQ3, Y13, Y13
	VMULPD  Y12, Y13, Y13
	VADDPD  EQ2, Y13, Y13
	VMULPD  Y12, Y13, Y13
	VADDPD  EQ1, Y13, Y13
	VMULPD  Y12, Y13, Y13
	VADDPD  EONE, Y13, Y13
	VMULPD  Y11, Y13, Y14
	VMOVUPD ETHREE, Y15
	VSUBPD  Y14, Y15, Y14
	VSUBPD  Y14, Y13, Y13
	VMULPD  Y14, Y7, Y14
	VMOVUPD ESIX, Y15
	VSUBPD  Y14, Y15, Y14
	VDIVPD  Y14, Y13, Y13
	VMULPD  Y13, Y12, Y13

	// k = 0: x - (x*e - hxs)
	VMULPD Y13, Y7, Y14
	VSUBPD Y12, Y14, Y14
	VSUBPD Y14, Y7, Y14
	// e = (x*(e-c) - c) - hxs
	VSUBPD Y9, Y13, Y13
	VMULPD Y13, Y7, Y13
	VSUBPD Y9, Y13, Y13
	VSUBPD Y12, Y13, Y13
	// k = -1: 0.5*(x-e) - 0.5
	VSUBPD Y13, Y7, Y15
	VMULPD EHALF, Y15, Y15
	VSUBPD EHALF, Y15, Y15
	// k <= -2: y = 1 - (e - x), k added to y's exponent, minus 1
	VSUBPD    Y7, Y13, Y13
	VMOVUPD   EONE, Y11
	VSUBPD    Y13, Y11, Y11
	VPMOVSXDQ X3, Y6
	VPSLLQ    $52, Y6, Y6
	VPADDQ    Y6, Y11, Y11
	VSUBPD    EONE, Y11, Y11

	// pick the lane's case; -1 for |x| >= 56 ln 2, x for |x| < 2^-54, and
	// v itself where v >= 0 (or NaN)
	VBLENDVPD Y8, Y15, Y11, Y11
	VBLENDVPD Y10, Y11, Y14, Y11
	VCMPPD    $1, ETINY, Y1, Y2
	VBLENDVPD Y2, Y0, Y11, Y11
	VCMPPD    $13, LN2X56, Y1, Y2
	VBLENDVPD Y2, EMONE, Y11, Y11
	VCMPPD    $1, EZERO, Y0, Y2
	VBLENDVPD Y2, Y11, Y0, Y0
	VMOVUPD   Y0, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	DECQ      CX
	JNZ       loopelu64

doneelu64:
	VZEROUPPER
	RET
