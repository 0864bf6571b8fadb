using MarginGrid.Client;

var (gateway, rest) = ClientCommands.Gateway(args);
if (rest.Length == 0)
{
    Console.WriteLine(ClientCommands.Usage);
    return 1;
}

await using var connection = await GridConnection.Connect(gateway);
return await ClientCommands.Run(connection.Client, rest, Console.Out);
