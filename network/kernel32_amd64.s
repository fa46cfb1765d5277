#include "textflag.h"

// The float32 micro-kernels: kernel_amd64.s's with eight lanes to a
// register. Each computes a small block of C = A*B (+ C when acc != 0),
// where A's element (r, p) is at a + r*rs + p*ps (so A may be transposed),
// and B (k x n) and C are row-major with strides ldb and ldc. Strides are
// in float32 elements. They need AVX2 and FMA; kern8x32z needs AVX-512F.

// func kern4x16s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int)
TEXT ·kern4x16s(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ rs+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ ps+24(FP), R11
	SHLQ $2, R11
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R10
	SHLQ $2, R10
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	TESTQ CX, CX
	JE    done4x16

loop4x16:
	VMOVUPS      (BX), Y8
	VMOVUPS      32(BX), Y9
	VBROADCASTSS (AX), Y10
	VFMADD231PS  Y8, Y10, Y0
	VFMADD231PS  Y9, Y10, Y1
	VBROADCASTSS (AX)(R8*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VFMADD231PS  Y9, Y11, Y3
	VBROADCASTSS (AX)(R8*2), Y12
	VFMADD231PS  Y8, Y12, Y4
	VFMADD231PS  Y9, Y12, Y5
	VBROADCASTSS (AX)(R9*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	VFMADD231PS  Y9, Y13, Y7
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop4x16

done4x16:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $2, DX
	LEAQ  (DX)(DX*2), R12
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store4x16
	VADDPS (DI), Y0, Y0
	VADDPS 32(DI), Y1, Y1
	VADDPS (DI)(DX*1), Y2, Y2
	VADDPS 32(DI)(DX*1), Y3, Y3
	VADDPS (DI)(DX*2), Y4, Y4
	VADDPS 32(DI)(DX*2), Y5, Y5
	VADDPS (DI)(R12*1), Y6, Y6
	VADDPS 32(DI)(R12*1), Y7, Y7

store4x16:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, (DI)(DX*1)
	VMOVUPS Y3, 32(DI)(DX*1)
	VMOVUPS Y4, (DI)(DX*2)
	VMOVUPS Y5, 32(DI)(DX*2)
	VMOVUPS Y6, (DI)(R12*1)
	VMOVUPS Y7, 32(DI)(R12*1)
	VZEROUPPER
	RET

// func kern4x8s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int)
TEXT ·kern4x8s(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ rs+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ ps+24(FP), R11
	SHLQ $2, R11
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R10
	SHLQ $2, R10
	VXORPS Y0, Y0, Y0
	VXORPS Y2, Y2, Y2
	VXORPS Y4, Y4, Y4
	VXORPS Y6, Y6, Y6
	TESTQ CX, CX
	JE    done4x8

loop4x8:
	VMOVUPS      (BX), Y8
	VBROADCASTSS (AX), Y10
	VFMADD231PS  Y8, Y10, Y0
	VBROADCASTSS (AX)(R8*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VBROADCASTSS (AX)(R8*2), Y12
	VFMADD231PS  Y8, Y12, Y4
	VBROADCASTSS (AX)(R9*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop4x8

done4x8:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $2, DX
	LEAQ  (DX)(DX*2), R12
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store4x8
	VADDPS (DI), Y0, Y0
	VADDPS (DI)(DX*1), Y2, Y2
	VADDPS (DI)(DX*2), Y4, Y4
	VADDPS (DI)(R12*1), Y6, Y6

store4x8:
	VMOVUPS Y0, (DI)
	VMOVUPS Y2, (DI)(DX*1)
	VMOVUPS Y4, (DI)(DX*2)
	VMOVUPS Y6, (DI)(R12*1)
	VZEROUPPER
	RET

// func kern1x16s(k int, a *float32, ps int, b *float32, ldb int, c *float32, acc int)
TEXT ·kern1x16s(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ps+16(FP), R11
	SHLQ $2, R11
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R10
	SHLQ $2, R10
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	TESTQ CX, CX
	JE    done1x16

loop1x16:
	VBROADCASTSS (AX), Y10
	VFMADD231PS  (BX), Y10, Y0
	VFMADD231PS  32(BX), Y10, Y1
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JE           done1x16
	VBROADCASTSS (AX), Y11
	VFMADD231PS  (BX), Y11, Y2
	VFMADD231PS  32(BX), Y11, Y3
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop1x16

done1x16:
	VADDPS Y2, Y0, Y0
	VADDPS Y3, Y1, Y1
	MOVQ   c+40(FP), DI
	MOVQ   acc+48(FP), SI
	TESTQ  SI, SI
	JE     store1x16
	VADDPS (DI), Y0, Y0
	VADDPS 32(DI), Y1, Y1

store1x16:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VZEROUPPER
	RET

// func kern1x8s(k int, a *float32, ps int, b *float32, ldb int, c *float32, acc int)
TEXT ·kern1x8s(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ps+16(FP), R11
	SHLQ $2, R11
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R10
	SHLQ $2, R10
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	TESTQ CX, CX
	JE    done1x8

loop1x8:
	VBROADCASTSS (AX), Y10
	VFMADD231PS  (BX), Y10, Y0
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JE           done1x8
	VBROADCASTSS (AX), Y11
	VFMADD231PS  (BX), Y11, Y1
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop1x8

done1x8:
	VADDPS Y1, Y0, Y0
	MOVQ   c+40(FP), DI
	MOVQ   acc+48(FP), SI
	TESTQ  SI, SI
	JE     store1x8
	VADDPS (DI), Y0, Y0

store1x8:
	VMOVUPS Y0, (DI)
	VZEROUPPER
	RET

// The masked kernels handle the last 1 to 7 columns: mask points to eight
// int32 lanes, all ones for the columns to touch and zero for the others.

// func kern4xms(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int, mask *int32)
TEXT ·kern4xms(SB), NOSPLIT, $0-80
	MOVQ    k+0(FP), CX
	MOVQ    a+8(FP), AX
	MOVQ    rs+16(FP), R8
	SHLQ    $2, R8
	LEAQ    (R8)(R8*2), R9
	MOVQ    ps+24(FP), R11
	SHLQ    $2, R11
	MOVQ    b+32(FP), BX
	MOVQ    ldb+40(FP), R10
	SHLQ    $2, R10
	MOVQ    mask+72(FP), R13
	VMOVDQU (R13), Y14
	VXORPS  Y0, Y0, Y0
	VXORPS  Y2, Y2, Y2
	VXORPS  Y4, Y4, Y4
	VXORPS  Y6, Y6, Y6
	TESTQ   CX, CX
	JE      done4xm

loop4xm:
	VMASKMOVPS   (BX), Y14, Y8
	VBROADCASTSS (AX), Y10
	VFMADD231PS  Y8, Y10, Y0
	VBROADCASTSS (AX)(R8*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VBROADCASTSS (AX)(R8*2), Y12
	VFMADD231PS  Y8, Y12, Y4
	VBROADCASTSS (AX)(R9*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop4xm

done4xm:
	MOVQ       c+48(FP), DI
	MOVQ       ldc+56(FP), DX
	SHLQ       $2, DX
	LEAQ       (DX)(DX*2), R12
	MOVQ       acc+64(FP), SI
	TESTQ      SI, SI
	JE         store4xm
	VMASKMOVPS (DI), Y14, Y8
	VADDPS     Y8, Y0, Y0
	VMASKMOVPS (DI)(DX*1), Y14, Y9
	VADDPS     Y9, Y2, Y2
	VMASKMOVPS (DI)(DX*2), Y14, Y10
	VADDPS     Y10, Y4, Y4
	VMASKMOVPS (DI)(R12*1), Y14, Y11
	VADDPS     Y11, Y6, Y6

store4xm:
	VMASKMOVPS Y0, Y14, (DI)
	VMASKMOVPS Y2, Y14, (DI)(DX*1)
	VMASKMOVPS Y4, Y14, (DI)(DX*2)
	VMASKMOVPS Y6, Y14, (DI)(R12*1)
	VZEROUPPER
	RET

// func kern1xms(k int, a *float32, ps int, b *float32, ldb int, c *float32, acc int, mask *int32)
TEXT ·kern1xms(SB), NOSPLIT, $0-64
	MOVQ    k+0(FP), CX
	MOVQ    a+8(FP), AX
	MOVQ    ps+16(FP), R11
	SHLQ    $2, R11
	MOVQ    b+24(FP), BX
	MOVQ    ldb+32(FP), R10
	SHLQ    $2, R10
	MOVQ    mask+56(FP), R13
	VMOVDQU (R13), Y14
	VXORPS  Y0, Y0, Y0
	TESTQ   CX, CX
	JE      done1xm

loop1xm:
	VMASKMOVPS   (BX), Y14, Y8
	VBROADCASTSS (AX), Y10
	VFMADD231PS  Y8, Y10, Y0
	ADDQ         R11, AX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop1xm

done1xm:
	MOVQ       c+40(FP), DI
	MOVQ       acc+48(FP), SI
	TESTQ      SI, SI
	JE         store1xm
	VMASKMOVPS (DI), Y14, Y8
	VADDPS     Y8, Y0, Y0

store1xm:
	VMASKMOVPS Y0, Y14, (DI)
	VZEROUPPER
	RET

// func adamKernel32(n int, w, grad, m1, m2 *float32, c *[7]float32)
// c holds b1, 1-b1, b2, 1-b2, the step size lr/(1-b1^t), 1/sqrt(1-b2^t)
// and eps. For i < n (a multiple of 8):
//   m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; p -= step*m / (sqrt(v)*ibc2 + eps)
TEXT ·adamKernel32(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         w+8(FP), DI
	MOVQ         grad+16(FP), SI
	MOVQ         m1+24(FP), R8
	MOVQ         m2+32(FP), R9
	MOVQ         c+40(FP), AX
	VBROADCASTSS 0(AX), Y10
	VBROADCASTSS 4(AX), Y11
	VBROADCASTSS 8(AX), Y12
	VBROADCASTSS 12(AX), Y13
	VBROADCASTSS 16(AX), Y14
	VBROADCASTSS 20(AX), Y15
	VBROADCASTSS 24(AX), Y9
	SHRQ         $3, CX
	JE           doneadam

loopadam:
	VMOVUPS     (SI), Y0
	VMULPS      (R8), Y10, Y1
	VFMADD231PS Y0, Y11, Y1
	VMOVUPS     Y1, (R8)
	VMULPS      Y0, Y0, Y2
	VMULPS      (R9), Y12, Y3
	VFMADD231PS Y2, Y13, Y3
	VMOVUPS     Y3, (R9)
	VSQRTPS     Y3, Y3
	VMULPS      Y3, Y15, Y3
	VADDPS      Y9, Y3, Y3
	VMULPS      Y1, Y14, Y1
	VDIVPS      Y3, Y1, Y1
	VMOVUPS     (DI), Y4
	VSUBPS      Y1, Y4, Y4
	VMOVUPS     Y4, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	DECQ        CX
	JNZ         loopadam

doneadam:
	VZEROUPPER
	RET

// ZERO8x32z clears the sixteen accumulators of an 8-row block.
#define ZERO8x32z \
	VXORPS Z0, Z0, Z0; \
	VXORPS Z1, Z1, Z1; \
	VXORPS Z2, Z2, Z2; \
	VXORPS Z3, Z3, Z3; \
	VXORPS Z4, Z4, Z4; \
	VXORPS Z5, Z5, Z5; \
	VXORPS Z6, Z6, Z6; \
	VXORPS Z7, Z7, Z7; \
	VXORPS Z8, Z8, Z8; \
	VXORPS Z9, Z9, Z9; \
	VXORPS Z10, Z10, Z10; \
	VXORPS Z11, Z11, Z11; \
	VXORPS Z12, Z12, Z12; \
	VXORPS Z13, Z13, Z13; \
	VXORPS Z14, Z14, Z14; \
	VXORPS Z15, Z15, Z15

// STEP8x32z adds one step along k to an 8-row block: the rows' elements
// of a (AX: rows 0-3, DX: rows 4-7, R8 and R9 one and three rows apart)
// times the row of b in Z16 and Z17.
#define STEP8x32z \
	VBROADCASTSS (AX), Z18; \
	VBROADCASTSS (AX)(R8*1), Z19; \
	VBROADCASTSS (AX)(R8*2), Z20; \
	VBROADCASTSS (AX)(R9*1), Z21; \
	VFMADD231PS  Z16, Z18, Z0; \
	VFMADD231PS  Z17, Z18, Z1; \
	VFMADD231PS  Z16, Z19, Z2; \
	VFMADD231PS  Z17, Z19, Z3; \
	VFMADD231PS  Z16, Z20, Z4; \
	VFMADD231PS  Z17, Z20, Z5; \
	VFMADD231PS  Z16, Z21, Z6; \
	VFMADD231PS  Z17, Z21, Z7; \
	VBROADCASTSS (DX), Z22; \
	VBROADCASTSS (DX)(R8*1), Z23; \
	VBROADCASTSS (DX)(R8*2), Z24; \
	VBROADCASTSS (DX)(R9*1), Z25; \
	VFMADD231PS  Z16, Z22, Z8; \
	VFMADD231PS  Z17, Z22, Z9; \
	VFMADD231PS  Z16, Z23, Z10; \
	VFMADD231PS  Z17, Z23, Z11; \
	VFMADD231PS  Z16, Z24, Z12; \
	VFMADD231PS  Z17, Z24, Z13; \
	VFMADD231PS  Z16, Z25, Z14; \
	VFMADD231PS  Z17, Z25, Z15

// func kern8x32z(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int)
// kern4x16s with sixteen lanes to a register (AVX-512): 8 rows by 32
// columns, each element the same sum of the same products in the same
// order.
TEXT ·kern8x32z(SB), NOSPLIT, $0-72
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), AX
	MOVQ   rs+16(FP), R8
	SHLQ   $2, R8
	LEAQ   (R8)(R8*2), R9
	LEAQ   (AX)(R8*4), DX
	MOVQ   ps+24(FP), R11
	SHLQ   $2, R11
	MOVQ   b+32(FP), BX
	MOVQ   ldb+40(FP), R10
	SHLQ   $2, R10
	ZERO8x32z
	TESTQ  CX, CX
	JE     done8x32

loop8x32:
	VMOVUPS      (BX), Z16
	VMOVUPS      64(BX), Z17
	STEP8x32z
	ADDQ         R11, AX
	ADDQ         R11, DX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop8x32

done8x32:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $2, DX
	LEAQ  (DX)(DX*2), R12
	LEAQ  (DI)(DX*4), R13
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store8x32
	VADDPS (DI), Z0, Z0
	VADDPS 64(DI), Z1, Z1
	VADDPS (DI)(DX*1), Z2, Z2
	VADDPS 64(DI)(DX*1), Z3, Z3
	VADDPS (DI)(DX*2), Z4, Z4
	VADDPS 64(DI)(DX*2), Z5, Z5
	VADDPS (DI)(R12*1), Z6, Z6
	VADDPS 64(DI)(R12*1), Z7, Z7
	VADDPS (R13), Z8, Z8
	VADDPS 64(R13), Z9, Z9
	VADDPS (R13)(DX*1), Z10, Z10
	VADDPS 64(R13)(DX*1), Z11, Z11
	VADDPS (R13)(DX*2), Z12, Z12
	VADDPS 64(R13)(DX*2), Z13, Z13
	VADDPS (R13)(R12*1), Z14, Z14
	VADDPS 64(R13)(R12*1), Z15, Z15

store8x32:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, (DI)(DX*1)
	VMOVUPS Z3, 64(DI)(DX*1)
	VMOVUPS Z4, (DI)(DX*2)
	VMOVUPS Z5, 64(DI)(DX*2)
	VMOVUPS Z6, (DI)(R12*1)
	VMOVUPS Z7, 64(DI)(R12*1)
	VMOVUPS Z8, (R13)
	VMOVUPS Z9, 64(R13)
	VMOVUPS Z10, (R13)(DX*1)
	VMOVUPS Z11, 64(R13)(DX*1)
	VMOVUPS Z12, (R13)(DX*2)
	VMOVUPS Z13, 64(R13)(DX*2)
	VMOVUPS Z14, (R13)(R12*1)
	VMOVUPS Z15, 64(R13)(R12*1)
	VZEROUPPER
	RET

// func kern8xmz(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int, mask int)
// kern8x32z on the columns whose bits are set in mask (the low bits: the
// last 1 to 31 columns of a product), with AVX-512's masked loads and
// stores: b and c are not touched beyond them.
TEXT ·kern8xmz(SB), NOSPLIT, $0-80
	MOVQ   mask+72(FP), R12
	KMOVW  R12, K1
	SHRQ   $16, R12
	KMOVW  R12, K2
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), AX
	MOVQ   rs+16(FP), R8
	SHLQ   $2, R8
	LEAQ   (R8)(R8*2), R9
	LEAQ   (AX)(R8*4), DX
	MOVQ   ps+24(FP), R11
	SHLQ   $2, R11
	MOVQ   b+32(FP), BX
	MOVQ   ldb+40(FP), R10
	SHLQ   $2, R10
	ZERO8x32z
	TESTQ  CX, CX
	JE     done8xm

loop8xm:
	VMOVUPS.Z    (BX), K1, Z16
	VMOVUPS.Z    64(BX), K2, Z17
	STEP8x32z
	ADDQ         R11, AX
	ADDQ         R11, DX
	ADDQ         R10, BX
	DECQ         CX
	JNZ          loop8xm

done8xm:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), DX
	SHLQ  $2, DX
	LEAQ  (DX)(DX*2), R12
	LEAQ  (DI)(DX*4), R13
	MOVQ  acc+64(FP), SI
	TESTQ SI, SI
	JE    store8xm
	VMOVUPS.Z (DI), K1, Z16
	VADDPS    Z16, Z0, Z0
	VMOVUPS.Z 64(DI), K2, Z17
	VADDPS    Z17, Z1, Z1
	VMOVUPS.Z (DI)(DX*1), K1, Z16
	VADDPS    Z16, Z2, Z2
	VMOVUPS.Z 64(DI)(DX*1), K2, Z17
	VADDPS    Z17, Z3, Z3
	VMOVUPS.Z (DI)(DX*2), K1, Z16
	VADDPS    Z16, Z4, Z4
	VMOVUPS.Z 64(DI)(DX*2), K2, Z17
	VADDPS    Z17, Z5, Z5
	VMOVUPS.Z (DI)(R12*1), K1, Z16
	VADDPS    Z16, Z6, Z6
	VMOVUPS.Z 64(DI)(R12*1), K2, Z17
	VADDPS    Z17, Z7, Z7
	VMOVUPS.Z (R13), K1, Z16
	VADDPS    Z16, Z8, Z8
	VMOVUPS.Z 64(R13), K2, Z17
	VADDPS    Z17, Z9, Z9
	VMOVUPS.Z (R13)(DX*1), K1, Z16
	VADDPS    Z16, Z10, Z10
	VMOVUPS.Z 64(R13)(DX*1), K2, Z17
	VADDPS    Z17, Z11, Z11
	VMOVUPS.Z (R13)(DX*2), K1, Z16
	VADDPS    Z16, Z12, Z12
	VMOVUPS.Z 64(R13)(DX*2), K2, Z17
	VADDPS    Z17, Z13, Z13
	VMOVUPS.Z (R13)(R12*1), K1, Z16
	VADDPS    Z16, Z14, Z14
	VMOVUPS.Z 64(R13)(R12*1), K2, Z17
	VADDPS    Z17, Z15, Z15

store8xm:
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	VMOVUPS Z2, K1, (DI)(DX*1)
	VMOVUPS Z3, K2, 64(DI)(DX*1)
	VMOVUPS Z4, K1, (DI)(DX*2)
	VMOVUPS Z5, K2, 64(DI)(DX*2)
	VMOVUPS Z6, K1, (DI)(R12*1)
	VMOVUPS Z7, K2, 64(DI)(R12*1)
	VMOVUPS Z8, K1, (R13)
	VMOVUPS Z9, K2, 64(R13)
	VMOVUPS Z10, K1, (R13)(DX*1)
	VMOVUPS Z11, K2, 64(R13)(DX*1)
	VMOVUPS Z12, K1, (R13)(DX*2)
	VMOVUPS Z13, K2, 64(R13)(DX*2)
	VMOVUPS Z14, K1, (R13)(R12*1)
	VMOVUPS Z15, K2, 64(R13)(R12*1)
	VZEROUPPER
	RET

// TRANSPOSE8 transposes the 8x8 block in Y0-Y7 (a row each) into Y8-Y15
// (row i of the result in Y8+i), with Y0-Y7 as scratch.
#define TRANSPOSE8 \
	VUNPCKLPS  Y1, Y0, Y8; \
	VUNPCKHPS  Y1, Y0, Y9; \
	VUNPCKLPS  Y3, Y2, Y10; \
	VUNPCKHPS  Y3, Y2, Y11; \
	VUNPCKLPS  Y5, Y4, Y12; \
	VUNPCKHPS  Y5, Y4, Y13; \
	VUNPCKLPS  Y7, Y6, Y14; \
	VUNPCKHPS  Y7, Y6, Y15; \
	VSHUFPS    $0x44, Y10, Y8, Y0; \
	VSHUFPS    $0xEE, Y10, Y8, Y1; \
	VSHUFPS    $0x44, Y11, Y9, Y2; \
	VSHUFPS    $0xEE, Y11, Y9, Y3; \
	VSHUFPS    $0x44, Y14, Y12, Y4; \
	VSHUFPS    $0xEE, Y14, Y12, Y5; \
	VSHUFPS    $0x44, Y15, Y13, Y6; \
	VSHUFPS    $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15

// func transpose8x8s(dst *float32, st int, src *float32, lds int, blocks int)
// For b < blocks: the 8x8 block of src at column 8b (rows lds apart) goes
// transposed to dst's rows 8b to 8b+7 (st apart), 8 columns each: packT32's
// panel, eight of its rows at a time.
TEXT ·transpose8x8s(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ st+8(FP), R10
	SHLQ $2, R10
	MOVQ src+16(FP), AX
	MOVQ lds+24(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ blocks+32(FP), CX
	TESTQ CX, CX
	JE   donetr
	LEAQ (R10)(R10*2), R11

looptr:
	LEAQ    (AX)(R8*4), BX
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R8*1), Y1
	VMOVUPS (AX)(R8*2), Y2
	VMOVUPS (AX)(R9*1), Y3
	VMOVUPS (BX), Y4
	VMOVUPS (BX)(R8*1), Y5
	VMOVUPS (BX)(R8*2), Y6
	VMOVUPS (BX)(R9*1), Y7
	TRANSPOSE8
	LEAQ    (DI)(R10*4), DX
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R10*1)
	VMOVUPS Y10, (DI)(R10*2)
	VMOVUPS Y11, (DI)(R11*1)
	VMOVUPS Y12, (DX)
	VMOVUPS Y13, (DX)(R10*1)
	VMOVUPS Y14, (DX)(R10*2)
	VMOVUPS Y15, (DX)(R11*1)
	ADDQ    $32, AX
	LEAQ    (DX)(R10*4), DI
	DECQ    CX
	JNZ     looptr

donetr:
	VZEROUPPER
	RET
