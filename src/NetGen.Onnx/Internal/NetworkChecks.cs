using System;

namespace NetGen.Onnx.Internal;

/// <summary>The checks every entry point makes of the network it is given, before reading or writing anything.</summary>
internal static class NetworkChecks
{
    public static NetworkArchitecture Check<T>(INetwork<T> network) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        ElementTypes.EnsureSupported<T>();
        if (network.Parameters is null || network.Parameters.Length != network.ParameterCount)
        {
            throw new ArgumentException($"The network's Parameters must have ParameterCount ({network.ParameterCount}) elements.", nameof(network));
        }

        return NetworkArchitecture.Of(network);
    }
}
