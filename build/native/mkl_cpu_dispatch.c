/*
 * libriskalign_mkl_cpu.so: lets Intel MKL choose its kernels by instruction set on x86-64 CPUs that are not Intel's.
 *
 * libtorch (the NuGet package's and PyTorch's wheels alike) links MKL statically and does its fp32/fp64 matmuls
 * there. Before picking its AVX2/AVX-512 kernels MKL asks mkl_serv_intel_cpu_true(); on any other vendor's CPU it
 * answers 0 and MKL runs a generic path. Measured on the AMD EPYC (Zen 4, AVX-512) this project is developed on,
 * one thread: a 1024x1024 fp32 matmul took 27 ms on that path and 20 ms with this answer; a GPT-2 output head
 * ([504, 256] x [256, 50257]) 318 ms and 178 ms.
 *
 * libtorch_cpu.so exports the symbol and binds it lazily, so when RiskAlign (MklCpuDispatch.cs) loads this library
 * with RTLD_GLOBAL before the first matmul, this definition is the one MKL's own calls reach. Nothing else changes:
 * MKL still checks each instruction set it uses against the CPU.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
