namespace Sim.Core;

/// <summary>getnameinfo's flags (POSIX NI_*, with Linux's values) for <see cref="EventLoop.GetNameInfo"/>.</summary>
[Flags]
public enum NameInfoFlags
{
    /// <summary>Names where they can be found, numbers otherwise.</summary>
    None = 0,

    /// <summary>NI_NUMERICHOST: the address as digits, never a name.</summary>
    NumericHost = 1,

    /// <summary>NI_NUMERICSERV: the port as digits, never a service name.</summary>
    NumericService = 2,

    /// <summary>NI_NAMEREQD: fail (HostNotFound) rather than return the address when no name is found.</summary>
    NameRequired = 8,
}
