using System.Diagnostics;
using System.Net;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// PostgreSQL's disk full: its data lives on a small tmpfs that the test fills to the last few hundred
/// kilobytes. Money commands must be refused with a retryable 503 (never a 500), leave nothing half applied,
/// and go through with the same ids once space is freed (and PostgreSQL, which stops when it cannot write its
/// WAL, is started again).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_full_disk_under_the_ledger_refuses_commands_with_503_and_nothing_is_half_applied()
    {
        var figures = new Figures(output, "PostgreSQL disk full (tmpfs)");
        var scratch = DurableCluster.NewScratch();
        var disk = Path.Combine(scratch, "pg");
        Directory.CreateDirectory(disk);
        var (mounted, mountOutput) = Privileged("mount", "-t", "tmpfs", "-o", $"size=384m,mode=0755,uid={Uid()}", "tmpfs", disk);
        Assert.True(mounted == 0, $"a tmpfs for PostgreSQL's data could not be mounted (the test needs root, or sudo without a password): {mountOutput}");
        var filler = Path.Combine(disk, "filler");
        try
        {
            var postgres = await PostgresServer.Create(scratch);
            await postgres.CreateDatabase(DurableCluster.LedgerDatabase(1));
            var redis = await RedisServer.Create(scratch);
            await using (var cluster = await DurableCluster.StartOn(scratch, postgres, redis, silos: 2))
            {
                var scenario = new TradingScenario(cluster, "diskfull");
                await scenario.Open(longs: 6, shorts: 2);

                // A fresh WAL segment, archived, so the WAL itself has room; then the disk is filled to its last 256 KB.
                await postgres.ArchiveCurrentWal();
                // PostgreSQL keeps writing meanwhile, so the free space read can be gone by the time fallocate runs: read again and retry.
                var (filled, fillOutput) = (-1, "");
                for (var attempt = 0; attempt < 5 && filled != 0; attempt++)
                {
                    var free = new DriveInfo(disk).AvailableFreeSpace;
                    (filled, fillOutput) = ChildProcess.Run("fallocate", "-l", (free - (256 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture), filler);
                }

                Assert.True(filled == 0, $"filling the disk failed: {fillOutput}");
                figures.Add("free bytes left under PostgreSQL", new DriveInfo(disk).AvailableFreeSpace);

                // Deposits one attempt each, until the ledger refuses them.
                var answers = new Dictionary<HttpStatusCode, int>();
                var clock = Stopwatch.StartNew();
                for (var n = 0; clock.Elapsed < TimeSpan.FromSeconds(90) && answers.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) < 20; n++)
                {
                    var account = scenario.Accounts[n % scenario.Accounts.Count];
                    var status = await scenario.DepositOnce(cluster.Silos[n % 2], account, $"diskfull-{n}", 1m);
                    answers[status] = answers.GetValueOrDefault(status) + 1;
                }

                figures.Add("deposits answered while the disk filled", string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{(int)a.Key}: {a.Value}")));
                Assert.True(answers.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) > 0, "the disk never filled: no deposit was refused");

                output.WriteLine("PostgreSQL's log on the full disk:\n" + string.Join('\n', File.ReadLines(Path.Combine(scratch, "postgres.log")).TakeLast(12)));

                // Space back. PostgreSQL stops when it cannot write its WAL (a PANIC, then a failed crash recovery):
                // started again as its supervisor would, it recovers. Then every refused deposit is resent with its id
                // and applied (or answered as a replay), and the model holds.
                File.Delete(filler);
                var recoveredByItself = await Until.Polled(() => postgres.Accepts(), TimeSpan.FromSeconds(15));
                if (!recoveredByItself)
                {
                    await postgres.Start();
                }

                figures.Add("PostgreSQL had stopped on the full disk and was started again", !recoveredByItself);
                await scenario.AssertNothingLost(figures);
            }
        }
        finally
        {
            File.Delete(filler);
            Privileged("umount", "-l", disk);
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Root runs it; anyone else through sudo, which must not ask for a password.</summary>
    private static (int ExitCode, string Output) Privileged(string file, params string[] arguments) =>
        Environment.UserName == "root" ? ChildProcess.Run(file, arguments) : ChildProcess.Run("sudo", ["-n", file, .. arguments]);

    private static string Uid() => ChildProcess.Run("id", "-u").Output.Trim();
}
