using MarginGrid.Client;

var (gateway, afterGateway) = ClientCommands.Gateway(args);
var (redis, afterRedis) = ClientCommands.Take(afterGateway, "--redis");
var (clusterId, rest) = ClientCommands.Take(afterRedis, "--cluster-id");
if (rest.Length == 0)
{
    Console.WriteLine(ClientCommands.Usage);
    return 1;
}

await using var connection = redis is null
    ? await GridConnection.Connect(gateway)
    : await GridConnection.ConnectDurable(redis, clusterId ?? "margingrid");
return await ClientCommands.Run(connection.Client, rest, Console.Out);
