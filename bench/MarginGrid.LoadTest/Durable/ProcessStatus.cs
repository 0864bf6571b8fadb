using System.Globalization;

namespace MarginGrid.LoadTest.Durable;

/// <summary>Reads a process's memory figures from <c>/proc/PID/status</c>.</summary>
public static class ProcessStatus
{
    /// <summary>The peak resident set of process <paramref name="pid"/> in bytes; 0 when it has exited or cannot be read.</summary>
    public static long PeakResidentBytes(int pid)
    {
        try
        {
            return PeakResidentBytes(File.ReadLines($"/proc/{pid}/status"));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The <c>VmHWM</c> line in bytes, 0 without one. The kernel pads the number after the tab to a fixed width, so a
    /// large value leaves no space between them: fields are split on tabs and spaces alike.
    /// </summary>
    public static long PeakResidentBytes(IEnumerable<string> statusLines)
    {
        ArgumentNullException.ThrowIfNull(statusLines);
        var line = statusLines.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var fields = line?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields is [_, var kib, "kB"] && long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value * 1024
            : 0;
    }
}
