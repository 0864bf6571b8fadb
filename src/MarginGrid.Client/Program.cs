using MarginGrid.Abstractions.Operations;
using MarginGrid.Client;

ClientTarget target;
string[] afterTarget;
try
{
    (target, afterTarget) = ClientTarget.From(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException error)
{
    await Console.Error.WriteLineAsync(error.Message);
    return 1;
}

var (tls, rest) = ClientCommands.Tls(afterTarget, Environment.GetEnvironmentVariable);
if (rest.Length == 0)
{
    Console.WriteLine(ClientCommands.Usage);
    return 1;
}

GridConnection connection;
try
{
    connection = await GridConnection.Connect(target, tls);
}
catch (ClusterUnreachableException error)
{
    await Console.Error.WriteLineAsync(error.Message);
    return 4;
}

await using (connection)
{
    // Standard error, so standard output stays one JSON document.
    var silo = await connection.Client.GetGrain<ISiloInfoGrain>(0).Describe();
    await Console.Error.WriteLineAsync($"Connected to {target.Describe()}: gateway {silo.Gateway ?? silo.Silo} (silo {silo.Silo}, margingrid {silo.Version} build {silo.Build}).");
    return await ClientCommands.Run(connection.Client, rest, Console.Out);
}
