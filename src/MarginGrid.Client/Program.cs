using MarginGrid.Client;

var (gateway, afterGateway) = ClientCommands.Gateway(args);
var (redis, afterRedis) = ClientCommands.Take(afterGateway, "--redis");
var (clusterId, afterClusterId) = ClientCommands.Take(afterRedis, "--cluster-id");
var (tls, rest) = ClientCommands.Tls(afterClusterId, Environment.GetEnvironmentVariable);
if (rest.Length == 0)
{
    Console.WriteLine(ClientCommands.Usage);
    return 1;
}

await using var connection = redis is null
    ? await GridConnection.Connect(gateway, tls)
    : await GridConnection.ConnectDurable(redis, clusterId ?? "margingrid", tls: tls);
return await ClientCommands.Run(connection.Client, rest, Console.Out);
