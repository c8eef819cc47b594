using System.Text;

namespace RiskAlign.Framework.Tests.Torch;

/// <summary>
/// Reads the version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF file: for each needed
/// version name, its flags. Written for the tests, independently of the build task that patches the library.
/// </summary>
internal static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2;

    public static Dictionary<string, ushort> Read(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        var result = new Dictionary<string, ushort>();
        long sectionHeaders = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            int header = (int)(sectionHeaders + (long)s * entrySize);
            if (BitConverter.ToUInt32(elf, header + 4) != 0x6ffffffe) continue; // SHT_GNU_verneed
            long offset = BitConverter.ToInt64(elf, header + 0x18);
            int needs = BitConverter.ToInt32(elf, header + 0x2C);
            int strtab = (int)(sectionHeaders + (long)BitConverter.ToInt32(elf, header + 0x28) * entrySize);
            long strings = BitConverter.ToInt64(elf, strtab + 0x18);
            for (int n = 0; n < needs; n++)
            {
                long aux = offset + BitConverter.ToUInt32(elf, (int)offset + 8);
                for (int a = 0; a < BitConverter.ToUInt16(elf, (int)offset + 2); a++)
                {
                    int name = (int)(strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    int end = Array.IndexOf(elf, (byte)0, name);
                    result[Encoding.ASCII.GetString(elf, name, end - name)] = BitConverter.ToUInt16(elf, (int)aux + 4);
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                offset += BitConverter.ToUInt32(elf, (int)offset + 12);
            }
        }
        return result;
    }
}
