using System.Diagnostics;

namespace MarginGrid.LoadTest.Durable;

/// <summary>A process the load test started: its output goes to a log file, and it is ended by its own PID.</summary>
public sealed class OwnedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private OwnedProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="file"/> in <paramref name="workingDirectory"/> (the log's directory when null), its output
    /// appended to <paramref name="logPath"/>.
    /// </summary>
    public static OwnedProcess Start(string file, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(logPath)! };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var owned = new OwnedProcess(process, log, logPath);
        process.OutputDataReceived += (_, line) => owned.Append(line.Data);
        process.ErrorDataReceived += (_, line) => owned.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return owned;
    }

    /// <summary>Runs a command to completion; throws with its output when it fails.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Result}{error}");
    }

    public string Tail(int lines = 30) => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)) : "";

    /// <summary>Ends the process by its PID (SIGKILL through <see cref="Process.Kill()"/>) if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }
    }
}
