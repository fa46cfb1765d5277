#include "textflag.h"

// The micro-kernels compute a small block of C = A*B (+ C when acc != 0),
// where A's element (r, p) is at a + r*rs + p*ps (so A may be transposed),
// and B (k x n) and C are row-major with strides ldb and ldc. Strides are
// in float64 elements. They need AVX2 and FMA.

// func kern4x8(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int)
TEXT ·kern4x8(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ rs+16(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	MOVQ ps+24(FP), R11
	SHLQ $3, R11
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R10
	SHLQ $3, R10
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	TESTQ CX, CX
	JE    done4x8

loop4x8:
	VMOVUPD      (BX), Y8
	VMOVUPD      32(BX), Y9
	VBROADCASTSD (AX), Y10
	VFMADD231PD  Y8, Y10, Y0
	VFMADD231PD  Y9, Y10, Y1
	VBROADCASTSD (AX)(R8*1), Y11
	VFMADD231PD  Y8, Y11, Y2
	VFMADD231PD  Y9, Y11, Y3
	VBROADCASTSD (AX)(R8*2), Y12
	VFMADD231PD  Y8, Y12, Y4
	VFMADD231PD  Y9, Y12, Y5
	VBROADCASTSD (AX)(R9*1), Y13
	VFMADD231PD  Y8, Y13, Y6
	VFMADD231PD  Y9, Y13, Y7
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop4x8

done4x8:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $3, DX
	LEAQ  (DX)(DX*2), R12
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store4x8
	VADDPD (DI), Y0, Y0
	VADDPD 32(DI), Y1, Y1
	VADDPD (DI)(DX*1), Y2, Y2
	VADDPD 32(DI)(DX*1), Y3, Y3
	VADDPD (DI)(DX*2), Y4, Y4
	VADDPD 32(DI)(DX*2), Y5, Y5
	VADDPD (DI)(R12*1), Y6, Y6
	VADDPD 32(DI)(R12*1), Y7, Y7

store4x8:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, (DI)(DX*1)
	VMOVUPD Y3, 32(DI)(DX*1)
	VMOVUPD Y4, (DI)(DX*2)
	VMOVUPD Y5, 32(DI)(DX*2)
	VMOVUPD Y6, (DI)(R12*1)
	VMOVUPD Y7, 32(DI)(R12*1)
	VZEROUPPER
	RET

// func kern4x4(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int)
TEXT ·kern4x4(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ rs+16(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	MOVQ ps+24(FP), R11
	SHLQ $3, R11
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R10
	SHLQ $3, R10
	VXORPD Y0, Y0, Y0
	VXORPD Y2, Y2, Y2
	VXORPD Y4, Y4, Y4
	VXORPD Y6, Y6, Y6
	TESTQ CX, CX
	JE    done4x4

loop4x4:
	VMOVUPD      (BX), Y8
	VBROADCASTSD (AX), Y10
	VFMADD231PD  Y8, Y10, Y0
	VBROADCASTSD (AX)(R8*1), Y11
	VFMADD231PD  Y8, Y11, Y2
	VBROADCASTSD (AX)(R8*2), Y12
	VFMADD231PD  Y8, Y12, Y4
	VBROADCASTSD (AX)(R9*1), Y13
	VFMADD231PD  Y8, Y13, Y6
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop4x4

done4x4:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $3, DX
	LEAQ  (DX)(DX*2), R12
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store4x4
	VADDPD (DI), Y0, Y0
	VADDPD (DI)(DX*1), Y2, Y2
	VADDPD (DI)(DX*2), Y4, Y4
	VADDPD (DI)(R12*1), Y6, Y6

store4x4:
	VMOVUPD Y0, (DI)
	VMOVUPD Y2, (DI)(DX*1)
	VMOVUPD Y4, (DI)(DX*2)
	VMOVUPD Y6, (DI)(R12*1)
	VZEROUPPER
	RET

// func kern1x8(k int, a *float64, ps int, b *float64, ldb int, c *float64, acc int)
TEXT ·kern1x8(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ps+16(FP), R11
	SHLQ $3, R11
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R10
	SHLQ $3, R10
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	TESTQ CX, CX
	JE    done1x8

loop1x8:
	VBROADCASTSD (AX), Y10
	VFMADD231PD  (BX), Y10, Y0
	VFMADD231PD  32(BX), Y10, Y1
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JE           done1x8
	VBROADCASTSD (AX), Y11
	VFMADD231PD  (BX), Y11, Y2
	VFMADD231PD  32(BX), Y11, Y3
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop1x8

done1x8:
	VADDPD Y2, Y0, Y0
	VADDPD Y3, Y1, Y1
	MOVQ   c+40(FP), DI
	MOVQ   acc+48(FP), SI
	TESTQ  SI, SI
	JE     store1x8
	VADDPD (DI), Y0, Y0
	VADDPD 32(DI), Y1, Y1

store1x8:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VZEROUPPER
	RET

// func kern1x4(k int, a *float64, ps int, b *float64, ldb int, c *float64, acc int)
TEXT ·kern1x4(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ps+16(FP), R11
	SHLQ $3, R11
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R10
	SHLQ $3, R10
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ CX, CX
	JE    done1x4

loop1x4:
	VBROADCASTSD (AX), Y10
	VFMADD231PD  (BX), Y10, Y0
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JE           done1x4
	VBROADCASTSD (AX), Y11
	VFMADD231PD  (BX), Y11, Y1
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop1x4

done1x4:
	VADDPD Y1, Y0, Y0
	MOVQ   c+40(FP), DI
	MOVQ   acc+48(FP), SI
	TESTQ  SI, SI
	JE     store1x4
	VADDPD (DI), Y0, Y0

store1x4:
	VMOVUPD Y0, (DI)
	VZEROUPPER
	RET

// The masked kernels handle the last 1 to 3 columns: mask points to four
// int64 lanes, all ones for the columns to touch and zero for the others.

// func kern4xm(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int, mask *int64)
TEXT ·kern4xm(SB), NOSPLIT, $0-80
	MOVQ    k+0(FP), CX
	MOVQ    a+8(FP), AX
	MOVQ    rs+16(FP), R8
	SHLQ    $3, R8
	LEAQ    (R8)(R8*2), R9
	MOVQ    ps+24(FP), R11
	SHLQ    $3, R11
	MOVQ    b+32(FP), BX
	MOVQ    ldb+40(FP), R10
	SHLQ    $3, R10
	MOVQ    mask+72(FP), R13
	VMOVDQU (R13), Y14
	VXORPD  Y0, Y0, Y0
	VXORPD  Y2, Y2, Y2
	VXORPD  Y4, Y4, Y4
	VXORPD  Y6, Y6, Y6
	TESTQ   CX, CX
	JE      done4xm

loop4xm:
	VMASKMOVPD   (BX), Y14, Y8
	VBROADCASTSD (AX), Y10
	VFMADD231PD  Y8, Y10, Y0
	VBROADCASTSD (AX)(R8*1), Y11
	VFMADD231PD  Y8, Y11, Y2
	VBROADCASTSD (AX)(R8*2), Y12
	VFMADD231PD  Y8, Y12, Y4
	VBROADCASTSD (AX)(R9*1), Y13
	VFMADD231PD  Y8, Y13, Y6
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop4xm

done4xm:
	MOVQ       c+48(FP), DI
	MOVQ       ldc+56(FP), DX
	SHLQ       $3, DX
	LEAQ       (DX)(DX*2), R12
	MOVQ       acc+64(FP), SI
	TESTQ      SI, SI
	JE         store4xm
	VMASKMOVPD (DI), Y14, Y8
	VADDPD     Y8, Y0, Y0
	VMASKMOVPD (DI)(DX*1), Y14, Y9
	VADDPD     Y9, Y2, Y2
	VMASKMOVPD (DI)(DX*2), Y14, Y10
	VADDPD     Y10, Y4, Y4
	VMASKMOVPD (DI)(R12*1), Y14, Y11
	VADDPD     Y11, Y6, Y6

store4xm:
	VMASKMOVPD Y0, Y14, (DI)
	VMASKMOVPD Y2, Y14, (DI)(DX*1)
	VMASKMOVPD Y4, Y14, (DI)(DX*2)
	VMASKMOVPD Y6, Y14, (DI)(R12*1)
	VZEROUPPER
	RET

// func kern1xm(k int, a *float64, ps int, b *float64, ldb int, c *float64, acc int, mask *int64)
TEXT ·kern1xm(SB), NOSPLIT, $0-64
	MOVQ    k+0(FP), CX
	MOVQ    a+8(FP), AX
	MOVQ    ps+16(FP), R11
	SHLQ    $3, R11
	MOVQ    b+24(FP), BX
	MOVQ    ldb+32(FP), R10
	SHLQ    $3, R10
	MOVQ    mask+56(FP), R13
	VMOVDQU (R13), Y14
	VXORPD  Y0, Y0, Y0
	TESTQ   CX, CX
	JE      done1xm

loop1xm:
	VMASKMOVPD   (BX), Y14, Y8
	VBROADCASTSD (AX), Y10
	VFMADD231PD  Y8, Y10, Y0
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop1xm

done1xm:
	MOVQ       c+40(FP), DI
	MOVQ       acc+48(FP), SI
	TESTQ      SI, SI
	JE         store1xm
	VMASKMOVPD (DI), Y14, Y8
	VADDPD     Y8, Y0, Y0

store1xm:
	VMASKMOVPD Y0, Y14, (DI)
	VZEROUPPER
	RET

// func adamKernel(n int, w, grad, m1, m2 *float64, c *[7]float64)
// c holds b1, 1-b1, b2, 1-b2, the step size lr/(1-b1^t), and 1/sqrt(1-b2^t);
// eps follows at c[6]. For i < n (a multiple of 4):
//   m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; p -= step*m / (sqrt(v)*ibc2 + eps)
TEXT ·adamKernel(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         w+8(FP), DI
	MOVQ         grad+16(FP), SI
	MOVQ         m1+24(FP), R8
	MOVQ         m2+32(FP), R9
	MOVQ         c+40(FP), AX
	VBROADCASTSD 0(AX), Y10
	VBROADCASTSD 8(AX), Y11
	VBROADCASTSD 16(AX), Y12
	VBROADCASTSD 24(AX), Y13
	VBROADCASTSD 32(AX), Y14
	VBROADCASTSD 40(AX), Y15
	VBROADCASTSD 48(AX), Y9
	SHRQ         $2, CX
	JE           doneadam

loopadam:
	VMOVUPD     (SI), Y0
	VMULPD      (R8), Y10, Y1
	VFMADD231PD Y0, Y11, Y1
	VMOVUPD     Y1, (R8)
	VMULPD      Y0, Y0, Y2
	VMULPD      (R9), Y12, Y3
	VFMADD231PD Y2, Y13, Y3
	VMOVUPD     Y3, (R9)
	VSQRTPD     Y3, Y3
	VMULPD      Y3, Y15, Y3
	VADDPD      Y9, Y3, Y3
	VMULPD      Y1, Y14, Y1
	VDIVPD      Y3, Y1, Y1
	VMOVUPD     (DI), Y4
	VSUBPD      Y1, Y4, Y4
	VMOVUPD     Y4, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	DECQ        CX
	JNZ         loopadam

doneadam:
	VZEROUPPER
	RET

// ZERO8x16d clears the sixteen accumulators of an 8-row block.
#define ZERO8x16d \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2; \
	VXORPD Z3, Z3, Z3; \
	VXORPD Z4, Z4, Z4; \
	VXORPD Z5, Z5, Z5; \
	VXORPD Z6, Z6, Z6; \
	VXORPD Z7, Z7, Z7; \
	VXORPD Z8, Z8, Z8; \
	VXORPD Z9, Z9, Z9; \
	VXORPD Z10, Z10, Z10; \
	VXORPD Z11, Z11, Z11; \
	VXORPD Z12, Z12, Z12; \
	VXORPD Z13, Z13, Z13; \
	VXORPD Z14, Z14, Z14; \
	VXORPD Z15, Z15, Z15

// STEP8x16d adds one step along k to an 8-row block: the rows' elements
// of a (AX: rows 0-3, DX: rows 4-7, R8 and R9 one and three rows apart)
// times the row of b in Z16 and Z17.
#define STEP8x16d \
	VBROADCASTSD (AX), Z18; \
	VBROADCASTSD (AX)(R8*1), Z19; \
	VBROADCASTSD (AX)(R8*2), Z20; \
	VBROADCASTSD (AX)(R9*1), Z21; \
	VFMADD231PD  Z16, Z18, Z0; \
	VFMADD231PD  Z17, Z18, Z1; \
	VFMADD231PD  Z16, Z19, Z2; \
	VFMADD231PD  Z17, Z19, Z3; \
	VFMADD231PD  Z16, Z20, Z4; \
	VFMADD231PD  Z17, Z20, Z5; \
	VFMADD231PD  Z16, Z21, Z6; \
	VFMADD231PD  Z17, Z21, Z7; \
	VBROADCASTSD (DX), Z22; \
	VBROADCASTSD (DX)(R8*1), Z23; \
	VBROADCASTSD (DX)(R8*2), Z24; \
	VBROADCASTSD (DX)(R9*1), Z25; \
	VFMADD231PD  Z16, Z22, Z8; \
	VFMADD231PD  Z17, Z22, Z9; \
	VFMADD231PD  Z16, Z23, Z10; \
	VFMADD231PD  Z17, Z23, Z11; \
	VFMADD231PD  Z16, Z24, Z12; \
	VFMADD231PD  Z17, Z24, Z13; \
	VFMADD231PD  Z16, Z25, Z14; \
	VFMADD231PD  Z17, Z25, Z15

// func kern8x16d(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int)
// kern4x8 with eight lanes to a register (AVX-512): 8 rows by 16
// columns, each element the same sum of the same products in the same
// order.
TEXT ·kern8x16d(SB), NOSPLIT, $0-72
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), AX
	MOVQ   rs+16(FP), R8
	SHLQ   $3, R8
	LEAQ   (R8)(R8*2), R9
	LEAQ   (AX)(R8*4), DX
	MOVQ   ps+24(FP), R11
	SHLQ   $3, R11
	MOVQ   b+32(FP), BX
	MOVQ   ldb+40(FP), R10
	SHLQ   $3, R10
	ZERO8x16d
	TESTQ  CX, CX
	JE     done8x16d

loop8x16d:
	VMOVUPD      (BX), Z16
	VMOVUPD      64(BX), Z17
	STEP8x16d
	ADDQ         R11, AX
	ADDQ         R11, DX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop8x16d

done8x16d:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $3, DX
	LEAQ  (DX)(DX*2), R12
	LEAQ  (DI)(DX*4), R13
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store8x16d
	VADDPD (DI), Z0, Z0
	VADDPD 64(DI), Z1, Z1
	VADDPD (DI)(DX*1), Z2, Z2
	VADDPD 64(DI)(DX*1), Z3, Z3
	VADDPD (DI)(DX*2), Z4, Z4
	VADDPD 64(DI)(DX*2), Z5, Z5
	VADDPD (DI)(R12*1), Z6, Z6
	VADDPD 64(DI)(R12*1), Z7, Z7
	VADDPD (R13), Z8, Z8
	VADDPD 64(R13), Z9, Z9
	VADDPD (R13)(DX*1), Z10, Z10
	VADDPD 64(R13)(DX*1), Z11, Z11
	VADDPD (R13)(DX*2), Z12, Z12
	VADDPD 64(R13)(DX*2), Z13, Z13
	VADDPD (R13)(R12*1), Z14, Z14
	VADDPD 64(R13)(R12*1), Z15, Z15

store8x16d:
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, (DI)(DX*1)
	VMOVUPD Z3, 64(DI)(DX*1)
	VMOVUPD Z4, (DI)(DX*2)
	VMOVUPD Z5, 64(DI)(DX*2)
	VMOVUPD Z6, (DI)(R12*1)
	VMOVUPD Z7, 64(DI)(R12*1)
	VMOVUPD Z8, (R13)
	VMOVUPD Z9, 64(R13)
	VMOVUPD Z10, (R13)(DX*1)
	VMOVUPD Z11, 64(R13)(DX*1)
	VMOVUPD Z12, (R13)(DX*2)
	VMOVUPD Z13, 64(R13)(DX*2)
	VMOVUPD Z14, (R13)(R12*1)
	VMOVUPD Z15, 64(R13)(R12*1)
	VZEROUPPER
	RET

// func kern8xmd(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int, mask int)
// kern8x16d on the columns whose bits are set in mask (the low bits: the
// last 1 to 15 columns of a product), with AVX-512's masked loads and
// stores: b and c are not touched beyond them.
TEXT ·kern8xmd(SB), NOSPLIT, $0-80
	MOVQ   mask+72(FP), R12
	KMOVW  R12, K1
	SHRQ   $8, R12
	KMOVW  R12, K2
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), AX
	MOVQ   rs+16(FP), R8
	SHLQ   $3, R8
	LEAQ   (R8)(R8*2), R9
	LEAQ   (AX)(R8*4), DX
	MOVQ   ps+24(FP), R11
	SHLQ   $3, R11
	MOVQ   b+32(FP), BX
	MOVQ   ldb+40(FP), R10
	SHLQ   $3, R10
	ZERO8x16d
	TESTQ  CX, CX
	JE     done8xmd

loop8xmd:
	VMOVUPD.Z    (BX), K1, Z16
	VMOVUPD.Z    64(BX), K2, Z17
	STEP8x16d
	ADDQ         R11, AX
	ADDQ         R11, DX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop8xmd

done8xmd:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $3, DX
	LEAQ  (DX)(DX*2), R12
	LEAQ  (DI)(DX*4), R13
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store8xmd
	VMOVUPD.Z (DI), K1, Z16
	VADDPD    Z16, Z0, Z0
	VMOVUPD.Z 64(DI), K2, Z17
	VADDPD    Z17, Z1, Z1
	VMOVUPD.Z (DI)(DX*1), K1, Z16
	VADDPD    Z16, Z2, Z2
	VMOVUPD.Z 64(DI)(DX*1), K2, Z17
	VADDPD    Z17, Z3, Z3
	VMOVUPD.Z (DI)(DX*2), K1, Z16
	VADDPD    Z16, Z4, Z4
	VMOVUPD.Z 64(DI)(DX*2), K2, Z17
	VADDPD    Z17, Z5, Z5
	VMOVUPD.Z (DI)(R12*1), K1, Z16
	VADDPD    Z16, Z6, Z6
	VMOVUPD.Z 64(DI)(R12*1), K2, Z17
	VADDPD    Z17, Z7, Z7
	VMOVUPD.Z (R13), K1, Z16
	VADDPD    Z16, Z8, Z8
	VMOVUPD.Z 64(R13), K2, Z17
	VADDPD    Z17, Z9, Z9
	VMOVUPD.Z (R13)(DX*1), K1, Z16
	VADDPD    Z16, Z10, Z10
	VMOVUPD.Z 64(R13)(DX*1), K2, Z17
	VADDPD    Z17, Z11, Z11
	VMOVUPD.Z (R13)(DX*2), K1, Z16
	VADDPD    Z16, Z12, Z12
	VMOVUPD.Z 64(R13)(DX*2), K2, Z17
	VADDPD    Z17, Z13, Z13
	VMOVUPD.Z (R13)(R12*1), K1, Z16
	VADDPD    Z16, Z14, Z14
	VMOVUPD.Z 64(R13)(R12*1), K2, Z17
	VADDPD    Z17, Z15, Z15

store8xmd:
	VMOVUPD Z0, K1, (DI)
	VMOVUPD Z1, K2, 64(DI)
	VMOVUPD Z2, K1, (DI)(DX*1)
	VMOVUPD Z3, K2, 64(DI)(DX*1)
	VMOVUPD Z4, K1, (DI)(DX*2)
	VMOVUPD Z5, K2, 64(DI)(DX*2)
	VMOVUPD Z6, K1, (DI)(R12*1)
	VMOVUPD Z7, K2, 64(DI)(R12*1)
	VMOVUPD Z8, K1, (R13)
	VMOVUPD Z9, K2, 64(R13)
	VMOVUPD Z10, K1, (R13)(DX*1)
	VMOVUPD Z11, K2, 64(R13)(DX*1)
	VMOVUPD Z12, K1, (R13)(DX*2)
	VMOVUPD Z13, K2, 64(R13)(DX*2)
	VMOVUPD Z14, K1, (R13)(R12*1)
	VMOVUPD Z15, K2, 64(R13)(R12*1)
	VZEROUPPER
	RET
