import ctypes, numpy as np
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
print(lib.openblas_get_corename())
P = ctypes.POINTER(ctypes.c_float)
def ptr(x): return ctypes.cast(x.ctypes.data, P)
rng = np.random.default_rng(18)
def spread(shape): return (rng.standard_normal(shape) * 10.0 ** rng.uniform(-6, 6, size=shape)).astype(np.float32)
for (m,n,k) in ((517,263,300),(263,517,300),(131,67,1025),(1000,1000,1000),(2048,2048,256),(700,600,1500),(517,263,2000)):
    a = spread((m,k)); b = spread((k,n))
    outs={}
    for t in (1,2,7):
        lib.openblas_set_num_threads(t)
        c = np.zeros((m,n),np.float32)
        lib.cblas_sgemm(102,111,111,m,n,k,ctypes.c_float(1.0),ptr(a),m,ptr(b),k,ctypes.c_float(0.0),ptr(c),m)
        outs[t]=c
    print((m,n,k), [int((outs[t].view(np.uint32)!=outs[1].view(np.uint32)).sum()) for t in (2,7)])
