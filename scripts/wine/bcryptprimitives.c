/* FOR TESTS UNDER WINE ONLY, never shipped. Rust's std imports ProcessPrng
 * from bcryptprimitives.dll (Windows 10+); Debian's wine 8.0 lacks that DLL.
 * This stand-in, placed beside the .exe, answers with advapi32's
 * RtlGenRandom (SystemFunction036), which wine does implement. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
