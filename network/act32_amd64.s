#include "textflag.h"

// The float32 activations of fastmath32.go, eight lanes at a time (AVX2):
// the same operations in the same order on each number, so the results
// are the same bits as tanh32's and expm1Neg32's. c is act32Consts: each
// constant as eight lanes, 32 bytes apart (see act32_amd64.go for the
// rows).

#define SIGN 0(R8)
#define ZERO 32(R8)
#define NEG2 64(R8)
#define LOG2E 96(R8)
#define HALF 128(R8)
#define LN2HI 160(R8)
#define LN2LO 192(R8)
#define C5040 224(R8)
#define C720 256(R8)
#define C120 288(R8)
#define C24 320(R8)
#define C6 352(R8)
#define C2 384(R8)
#define I127 416(R8)
#define ONE 448(R8)
#define M20 480(R8)
#define MONE 512(R8)
#define TWO 544(R8)

// EXPM1NEG computes expm1Neg32 of X (not NaN, <= 0) into E, as expParts
// and then s*m + (s - 1), with x < -20 giving -1; it uses Y5-Y10 and Y13.
#define EXPM1NEG(X, E) \
	VMULPS     LOG2E, X, Y5; \
	VSUBPS     HALF, Y5, Y5; \
	VCVTTPS2DQ Y5, Y6; \
	VCVTDQ2PS  Y6, Y7; \
	VMULPS     LN2HI, Y7, Y8; \
	VSUBPS     Y8, X, Y8; \
	VMULPS     LN2LO, Y7, Y9; \
	VSUBPS     Y9, Y8, Y8; \
	VMULPS     C5040, Y8, Y9; \
	VADDPS     C720, Y9, Y9; \
	VMULPS     Y8, Y9, Y9; \
	VADDPS     C120, Y9, Y9; \
	VMULPS     Y8, Y9, Y9; \
	VADDPS     C24, Y9, Y9; \
	VMULPS     Y8, Y9, Y9; \
	VADDPS     C6, Y9, Y9; \
	VMULPS     Y8, Y9, Y9; \
	VADDPS     C2, Y9, Y9; \
	VMULPS     Y8, Y8, Y10; \
	VMULPS     Y9, Y10, Y10; \
	VADDPS     Y10, Y8, Y10; \
	VPADDD     I127, Y6, Y6; \
	VPSLLD     $23, Y6, Y6; \
	VMULPS     Y10, Y6, E; \
	VSUBPS     ONE, Y6, Y6; \
	VADDPS     Y6, E, E; \
	VCMPPS     $1, M20, X, Y13; \
	VBLENDVPS  Y13, MONE, E, E

// func tanhBias32(z, b *float32, n int, c *[18][8]uint32)
// z[i] = tanh32(z[i] + b[i]) for i < n, a multiple of 8.
TEXT ·tanhBias32(SB), NOSPLIT, $0-32
	MOVQ z+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	SHRQ $3, CX
	JE   donetanh

looptanh:
	VMOVUPS   (DI), Y0
	VADDPS    (SI), Y0, Y0
	// y = x < 0 ? -x : x
	VXORPS    SIGN, Y0, Y1
	VCMPPS    $1, ZERO, Y0, Y2
	VBLENDVPS Y2, Y1, Y0, Y3
	// m = expm1Neg32(-2 * y): NaN stays NaN
	VMULPS    NEG2, Y3, Y4
	EXPM1NEG(Y4, Y11)
	VCMPPS    $6, ZERO, Y4, Y13
	VBLENDVPS Y13, Y4, Y11, Y11
	// t = -m / (2 + m), negated for x < 0
	VADDPS    TWO, Y11, Y12
	VXORPS    SIGN, Y11, Y11
	VDIVPS    Y12, Y11, Y11
	VXORPS    SIGN, Y11, Y12
	VBLENDVPS Y2, Y12, Y11, Y11
	VMOVUPS   Y11, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	DECQ      CX
	JNZ       looptanh

donetanh:
	VZEROUPPER
	RET

// func eluBias32(z, b *float32, n int, c *[18][8]uint32)
// v = z[i] + b[i]; z[i] = v < 0 ? expm1Neg32(v) : v, for i < n, a
// multiple of 8.
TEXT ·eluBias32(SB), NOSPLIT, $0-32
	MOVQ z+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	SHRQ $3, CX
	JE   doneelu

loopelu:
	VMOVUPS   (DI), Y0
	VADDPS    (SI), Y0, Y0
	EXPM1NEG(Y0, Y11)
	VCMPPS    $1, ZERO, Y0, Y2
	VBLENDVPS Y2, Y11, Y0, Y0
	VMOVUPS   Y0, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	DECQ      CX
	JNZ       loopelu

doneelu:
	VZEROUPPER
	RET

// func backpropBias32(a int, grad, out *float32, n int, c *[18][8]uint32)
// backprop32 for i < n, a multiple of 8: grad[i] scaled by the derivative
// of activation a (1 ReLU, 2 tanh, 3 ELU) at the
// unit whose output was out[i].
TEXT ·backpropBias32(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), AX
	MOVQ grad+8(FP), DI
	MOVQ out+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ c+32(FP), R8
	SHRQ $3, CX
	JE   donebp
	CMPQ AX, $1
	JE   looprelu
	CMPQ AX, $2
	JE   looptanhbp

loopelubp:
	// if v < 0: g *= v + 1
	VMOVUPS   (SI), Y0
	VMOVUPS   (DI), Y1
	VADDPS    ONE, Y0, Y2
	VMULPS    Y2, Y1, Y2
	VCMPPS    $1, ZERO, Y0, Y3
	VBLENDVPS Y3, Y2, Y1, Y1
	VMOVUPS   Y1, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	DECQ      CX
	JNZ       loopelubp
	JMP       donebp

looptanhbp:
	// g *= 1 - v*v
	VMOVUPS (SI), Y0
	VMULPS  Y0, Y0, Y0
	VMOVUPS ONE, Y2
	VSUBPS  Y0, Y2, Y2
	VMULPS  (DI), Y2, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     looptanhbp
	JMP     donebp

looprelu:
	// g = 0 where v's bits are all zero (v is +0; a ReLU gives no -0)
	VMOVUPS  (SI), Y0
	VPCMPEQD ZERO, Y0, Y0
	VPANDN   (DI), Y0, Y1
	VMOVUPS  Y1, (DI)
	ADDQ     $32, DI
	ADDQ     $32, SI
	DECQ     CX
	JNZ      looprelu

donebp:
	VZEROUPPER
	RET

// func mulTo32(grad, m *float32, n int)
// grad[i] *= m[i] for i < n, a multiple of 8.
TEXT ·mulTo32(SB), NOSPLIT, $0-24
	MOVQ grad+0(FP), DI
	MOVQ m+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JE   donemul

loopmul:
	VMOVUPS (DI), Y0
	VMULPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     loopmul

donemul:
	VZEROUPPER
	RET

// func sumRows32(db, grad *float32, rows, n, ld int)
// db[j] = grad[0][j] + grad[1][j] + ... + grad[rows-1][j], added in that order, for
// j < n, a multiple of 8; grad's rows are ld float32 apart.
TEXT ·sumRows32(SB), NOSPLIT, $0-40
	MOVQ db+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ rows+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ ld+32(FP), R8
	SHLQ $2, R8
	SHRQ $3, CX
	JE   donesum

loopcols:
	MOVQ    SI, AX
	VMOVUPS (AX), Y0
	MOVQ    DX, BX
	DECQ    BX
	JE      storesum

looprows:
	ADDQ   R8, AX
	VADDPS (AX), Y0, Y0
	DECQ   BX
	JNZ    looprows

storesum:
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     loopcols

donesum:
	VZEROUPPER
	RET
