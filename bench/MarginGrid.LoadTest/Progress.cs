namespace MarginGrid.LoadTest;

/// <summary>A one-line progress bar on the console (rewritten in place; plain lines when output is redirected).</summary>
public sealed class Progress
{
    private readonly Lock _gate = new();
    private DateTime _last = DateTime.MinValue;

    public void Report(string what, double fraction)
    {
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            if (now - _last < TimeSpan.FromMilliseconds(Console.IsOutputRedirected ? 5_000 : 250) && fraction < 1)
            {
                return;
            }

            _last = now;
            var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30);
            var line = $"[{new string('#', filled)}{new string('.', 30 - filled)}] {what}";
            if (Console.IsOutputRedirected)
            {
                Console.WriteLine(line);
            }
            else
            {
                Console.Write($"\r{line,-110}");
                if (fraction >= 1)
                {
                    Console.WriteLine();
                }
            }
        }
    }
}
