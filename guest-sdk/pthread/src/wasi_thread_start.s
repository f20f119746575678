# wasi-threads entry point: the host calls wasi_thread_start(tid, start_arg)
# on a new thread, in a new instance whose globals are fresh. Before any C
# code can run, the thread needs its own stack pointer and TLS block, which
# the creator put in the first two words of start_arg (struct __pthread in
# internal.h). __wasm_init_tls (made by wasm-ld) copies the TLS image there
# and sets __tls_base.
	.text

	.globaltype	__stack_pointer, i32
	.functype	__wasm_init_tls (i32) -> ()
	.functype	__wasmaot_thread_main (i32, i32) -> ()

	.export_name	wasi_thread_start, wasi_thread_start
	.globl	wasi_thread_start
	.type	wasi_thread_start,@function
wasi_thread_start:
	.functype	wasi_thread_start (i32, i32) -> ()
	local.get	1
	i32.load	0
	global.set	__stack_pointer
	local.get	1
	i32.load	4
	call	__wasm_init_tls
	local.get	0
	local.get	1
	call	__wasmaot_thread_main
	end_function
