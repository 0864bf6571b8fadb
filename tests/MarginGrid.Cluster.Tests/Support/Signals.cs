using System.Runtime.InteropServices;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>POSIX signals by PID: .NET can only SIGKILL a process, and a graceful stop needs SIGTERM.</summary>
internal static partial class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>SIGCONT and SIGSTOP as Linux numbers them (x86-64 and arm64).</summary>
    public const int Continue = 18;
    public const int Stop = 19;

    public static void Send(int pid, int signal)
    {
        if (Native(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static bool IsAlive(int pid) => Native(pid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Native(int pid, int signal);
}
