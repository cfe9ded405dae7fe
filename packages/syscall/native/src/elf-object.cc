// ELF objects compiled by clang (-target bpf), through libbpf: open, inspect and configure programs and
// maps, load (BTF, CO-RE relocations, map creation, program loads), and hand out duplicated fds.
//
//   elfOpen(source, objectName)                 -> { handle?, errno, log }   source: path or bytes
//   elfInfo(handle)                             -> { name, hasBtf, loaded }
//   elfPrograms(handle)                         -> [{ name, section, type, expectedAttachType, autoload, insnCount }]
//   elfMaps(handle)                             -> [{ name, type, keySize, valueSize, maxEntries, flags, internal,
//                                                     btfKeyTypeId, btfValueTypeId }]
//   elfBtf(handle)                              -> Buffer (copy of the object's BTF) | -ENODATA
//   elfProgramSetType(handle, prog, type)       -> 0 | -errno
//   elfProgramSetExpectedAttachType(handle, prog, attachType) -> 0 | -errno
//   elfProgramSetAutoload(handle, prog, bool)   -> 0 | -errno
//   elfProgramSetAttachTarget(handle, prog, attachProgFd, funcName|null) -> { errno, log }
//   elfProgramInsns(handle, prog)               -> Buffer (copy of struct bpf_insn[]) | -errno
//   elfMapSetMaxEntries(handle, map, n)         -> 0 | -errno
//   elfMapSetInitialValue(handle, map, bytes)   -> 0 | -errno
//   elfMapInitialValue(handle, map)             -> Buffer (copy) | -errno
//   elfLoad(handle, logLevel, logSize)          -> { errno, log, programLogs: { [prog]: string } }
//   elfProgramFd(handle, prog) / elfMapFd(handle, map) -> new fd (a duplicate the caller owns) | -errno
//   elfClose(handle)                            -> undefined (idempotent)
//
// A handle is a type-tagged External; a collected handle's object is closed by its finalizer. Errors are
// -errno (libbpf's own codes are 4000 and up); `log` holds libbpf's messages of that call only: libbpf's
// print callback is process-wide, so each call installs ours for its duration and restores the previous.
// Bytes handed to libbpf are first checked for a sound ELF layout, so malformed input yields an error
// rather than an out-of-bounds read in the ELF parser.
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bpf-syscall.h"
#include "js-args.h"
#include "registry.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

namespace progrun {
namespace {

// Largest object file accepted (clang's objects are kilobytes; a vmlinux-sized BTF is some megabytes).
constexpr std::size_t kMaxObjectBytes = std::size_t{1} << 30;
// Largest verifier log buffer per program (the kernel's own limit is UINT_MAX >> 2).
constexpr std::size_t kMaxLogSize = UINT_MAX >> 2;

const napi_type_tag kElfObjectTag = {0x70726f6772756e00ULL, 0x656c662d6f626a01ULL};

struct ElfObject {
  bpf_object* obj = nullptr;
  bool loaded = false;
  // Verifier log buffers given to libbpf when a log level was requested; libbpf keeps pointers to them.
  std::vector<std::unique_ptr<char[]>> log_bufs;

  void Close() {
    if (obj != nullptr) bpf_object__close(obj);
    obj = nullptr;
    log_bufs.clear();
  }
  ~ElfObject() { Close(); }
};

thread_local std::string* t_capture = nullptr;

int CapturePrint(enum libbpf_print_level level, const char* format, va_list args) {
  if (t_capture == nullptr || level == LIBBPF_DEBUG) return 0;
  va_list measure;
  va_copy(measure, args);
  int length = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (length <= 0) return 0;
  std::size_t at = t_capture->size();
  t_capture->resize(at + static_cast<std::size_t>(length) + 1);
  std::vsnprintf(&(*t_capture)[at], static_cast<std::size_t>(length) + 1, format, args);
  t_capture->resize(at + static_cast<std::size_t>(length));
  return length;
}

// Routes libbpf's messages into `out` for the lifetime of the scope.
class ScopedCapture {
 public:
  explicit ScopedCapture(std::string* out) : previous_capture_(t_capture) {
    t_capture = out;
    previous_print_ = libbpf_set_print(CapturePrint);
  }
  ~ScopedCapture() {
    libbpf_set_print(previous_print_);
    t_capture = previous_capture_;
  }
  ScopedCapture(const ScopedCapture&) = delete;
  ScopedCapture& operator=(const ScopedCapture&) = delete;

 private:
  std::string* previous_capture_;
  libbpf_print_fn_t previous_print_ = nullptr;
};

// libbpf 1.x returns NULL with errno set from its constructors, and negative codes from the rest.
int ErrnoOr(int fallback) { return errno != 0 ? errno : fallback; }

bool ValidSection(const Elf64_Shdr& sh, std::size_t size) {
  if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL) return true;
  return sh.sh_offset <= size && sh.sh_size <= size - sh.sh_offset;
}

// Checks the layout libbpf's ELF parsing relies on: header, section table, section contents within the
// file, section name and link indexes, symbol and relocation table entry sizes, and symbol references.
bool CheckElf(const std::uint8_t* data, std::size_t size, std::string* why) {
  if (size < sizeof(Elf64_Ehdr)) return *why = "shorter than an ELF header", false;
  Elf64_Ehdr eh;
  std::memcpy(&eh, data, sizeof(eh));
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return *why = "not an ELF file (bad magic)", false;
  if (eh.e_ident[EI_CLASS] != ELFCLASS64) return *why = "not a 64-bit ELF file", false;
  if (eh.e_ident[EI_DATA] != ELFDATA2LSB) return *why = "not a little-endian ELF file", false;
  if (eh.e_machine != EM_BPF) return *why = "not a BPF object (e_machine is not EM_BPF)", false;
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) return *why = "unexpected section header size", false;
  if (eh.e_shnum == 0 || eh.e_shoff > size || (size - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum)
    return *why = "section header table lies outside the file", false;
  if (eh.e_shstrndx == SHN_UNDEF || eh.e_shstrndx >= eh.e_shnum) return *why = "bad section name table index", false;

  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  std::memcpy(sections.data(), data + eh.e_shoff, sections.size() * sizeof(Elf64_Shdr));
  const Elf64_Shdr& names = sections[eh.e_shstrndx];
  if (names.sh_type != SHT_STRTAB || !ValidSection(names, size) || names.sh_size == 0 ||
      data[names.sh_offset + names.sh_size - 1] != 0)
    return *why = "bad section name table", false;

  std::size_t symbols = 0;
  for (std::size_t i = 0; i < sections.size(); i++) {
    const Elf64_Shdr& sh = sections[i];
    if (!ValidSection(sh, size)) return *why = "section " + std::to_string(i) + " lies outside the file", false;
    if (sh.sh_name >= names.sh_size) return *why = "section " + std::to_string(i) + " has a bad name", false;
    if (sh.sh_link >= sections.size()) return *why = "section " + std::to_string(i) + " links outside", false;
    if (sh.sh_type == SHT_SYMTAB) {
      if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym) != 0)
        return *why = "bad symbol table entry size", false;
      const Elf64_Shdr& strtab = sections[sh.sh_link];
      if (strtab.sh_type != SHT_STRTAB || strtab.sh_size == 0 || data[strtab.sh_offset + strtab.sh_size - 1] != 0)
        return *why = "bad symbol string table", false;
      symbols = sh.sh_size / sizeof(Elf64_Sym);
      for (std::size_t s = 0; s < symbols; s++) {
        Elf64_Sym sym;
        std::memcpy(&sym, data + sh.sh_offset + s * sizeof(Elf64_Sym), sizeof(sym));
        if (sym.st_name >= strtab.sh_size) return *why = "symbol " + std::to_string(s) + " has a bad name", false;
        if (sym.st_shndx >= sections.size() && sym.st_shndx < SHN_LORESERVE)
          return *why = "symbol " + std::to_string(s) + " refers to a missing section", false;
      }
    }
  }
  for (std::size_t i = 0; i < sections.size(); i++) {
    const Elf64_Shdr& sh = sections[i];
    if (sh.sh_type != SHT_REL) continue;
    if (sh.sh_entsize != sizeof(Elf64_Rel) || sh.sh_size % sizeof(Elf64_Rel) != 0)
      return *why = "bad relocation entry size", false;
    if (sh.sh_info >= sections.size()) return *why = "relocation section targets a missing section", false;
    const Elf64_Shdr& target = sections[sh.sh_info];
    for (std::size_t r = 0; r < sh.sh_size / sizeof(Elf64_Rel); r++) {
      Elf64_Rel rel;
      std::memcpy(&rel, data + sh.sh_offset + r * sizeof(Elf64_Rel), sizeof(rel));
      if (ELF64_R_SYM(rel.r_info) >= symbols) return *why = "relocation refers to a missing symbol", false;
      if (target.sh_type != SHT_NOBITS && rel.r_offset >= target.sh_size)
        return *why = "relocation offset lies outside its section", false;
    }
  }
  return true;
}

int ReadWholeFile(const std::string& path, std::vector<std::uint8_t>* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  int err = 0;
  if (fstat(fd, &st) != 0) err = -errno;
  else if (!S_ISREG(st.st_mode)) err = -EINVAL;
  else if (static_cast<std::uint64_t>(st.st_size) > kMaxObjectBytes) err = -EFBIG;
  if (err == 0) {
    out->resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out->size()) {
      ssize_t n = read(fd, out->data() + done, out->size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        err = n < 0 ? -errno : -EIO;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
  }
  close(fd);
  return err;
}

// The handle argument, or nullptr with a pending TypeError. require_open: the object was not closed.
ElfObject* ReadHandle(napi_env env, napi_value value, bool require_open = true) {
  napi_valuetype type;
  bool tagged = false;
  void* data = nullptr;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external ||
      napi_check_object_type_tag(env, value, &kElfObjectTag, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, value, &data) != napi_ok || data == nullptr) {
    ThrowTypeError(env, "handle", "must be an ELF object handle from elfOpen");
    return nullptr;
  }
  auto* object = static_cast<ElfObject*>(data);
  if (require_open && object->obj == nullptr) {
    napi_throw_error(env, "ERR_BPF_OBJECT_CLOSED", "the ELF object was closed");
    return nullptr;
  }
  return object;
}

bpf_program* Find(ElfObject* object, const std::string& name, bpf_program*) {
  return bpf_object__find_program_by_name(object->obj, name.c_str());
}

bpf_map* Find(ElfObject* object, const std::string& name, bpf_map*) {
  return bpf_object__find_map_by_name(object->obj, name.c_str());
}

constexpr std::size_t kMaxNameBytes = 255;

// A program or map of the object, named by the call's second argument.
template <typename T>
struct Named {
  ElfObject* object = nullptr;
  T* item = nullptr;
  // -ENOENT when the object has no item of that name.
  int err = 0;
};

// Reads argc arguments, the handle and the name (argv[0], argv[1]), and finds the item. Returns false
// with a pending exception for arguments of the wrong type.
template <typename T>
bool ReadNamed(napi_env env, napi_callback_info info, std::size_t argc, napi_value* argv, const char* what,
               Named<T>* out) {
  std::string name;
  if (!GetArgs(env, info, argc, argv)) return false;
  out->object = ReadHandle(env, argv[0]);
  if (out->object == nullptr || !ReadString(env, argv[1], what, kMaxNameBytes, false, &name)) return false;
  out->item = Find(out->object, name, static_cast<T*>(nullptr));
  out->err = out->item == nullptr ? -ENOENT : 0;
  return true;
}

Napi::Value ErrnoLogResult(Napi::Env env, int err, const std::string& log) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("errno", Napi::Number::New(env, err < 0 ? -err : err));
  result.Set("log", Napi::String::New(env, log));
  return result;
}

napi_value ElfOpen(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!GetArgs(env, info, 2, argv)) return nullptr;
  std::string object_name, path;
  bool has_name = false;
  if (!ReadString(env, argv[1], "objectName", kMaxNameBytes, true, &object_name, &has_name)) return nullptr;

  napi_valuetype type;
  napi_typeof(env, argv[0], &type);
  std::vector<std::uint8_t> file;
  Bytes bytes;
  if (type == napi_string) {
    if (!ReadString(env, argv[0], "source", PATH_MAX - 1, false, &path)) return nullptr;
    if (path.empty()) return ThrowTypeError(env, "source", "must be a non-empty path"), nullptr;
    int err = ReadWholeFile(path, &file);
    if (err != 0) return ErrnoLogResult(Napi::Env(env), err, "cannot read " + path + ": " + std::strerror(-err));
    bytes.data = file.data();
    bytes.length = file.size();
    // libbpf names the object after the file (up to the first dot), as bpf_object__open_file does.
    if (!has_name) object_name = path;
  } else if (!ReadBytes(env, argv[0], "source", false, &bytes)) {
    return nullptr;
  }

  std::string why;
  if (bytes.length > kMaxObjectBytes) return ErrnoLogResult(Napi::Env(env), -EFBIG, "object larger than 1 GiB");
  if (!CheckElf(bytes.data, bytes.length, &why)) return ErrnoLogResult(Napi::Env(env), -ENOEXEC, why);

  std::string log;
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  if (!object_name.empty()) opts.object_name = object_name.c_str();
  bpf_object* obj;
  {
    ScopedCapture capture(&log);
    errno = 0;
    obj = bpf_object__open_mem(bytes.data, bytes.length, &opts);
  }
  int err = obj == nullptr ? -ErrnoOr(EINVAL) : 0;
  if (obj == nullptr) return ErrnoLogResult(Napi::Env(env), err, log);

  auto* object = new ElfObject();
  object->obj = obj;
  napi_value handle;
  if (napi_create_external(
          env, object, [](napi_env, void* data, void*) { delete static_cast<ElfObject*>(data); }, nullptr,
          &handle) != napi_ok) {
    delete object;
    return nullptr;
  }
  napi_type_tag_object(env, handle, &kElfObjectTag);
  Napi::Object result = ErrnoLogResult(Napi::Env(env), 0, log).As<Napi::Object>();
  result.Set("handle", Napi::Value(env, handle));
  return result;
}

napi_value ElfInfo(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!GetArgs(env, info, 1, argv)) return nullptr;
  ElfObject* object = ReadHandle(env, argv[0]);
  if (object == nullptr) return nullptr;
  Napi::Env e(env);
  Napi::Object result = Napi::Object::New(e);
  result.Set("name", Napi::String::New(e, bpf_object__name(object->obj)));
  result.Set("hasBtf", Napi::Boolean::New(e, bpf_object__btf(object->obj) != nullptr));
  result.Set("loaded", Napi::Boolean::New(e, object->loaded));
  return result;
}

// An array describing each program or map, in ELF order; next is bpf_object__next_program/_map.
template <typename T, typename Next, typename Describe>
napi_value List(napi_env env, napi_callback_info info, Next next, Describe describe) {
  napi_value argv[1];
  if (!GetArgs(env, info, 1, argv)) return nullptr;
  ElfObject* object = ReadHandle(env, argv[0]);
  if (object == nullptr) return nullptr;
  Napi::Env e(env);
  Napi::Array list = Napi::Array::New(e);
  std::uint32_t i = 0;
  for (T* item = next(object->obj, nullptr); item != nullptr; item = next(object->obj, item)) {
    Napi::Object entry = Napi::Object::New(e);
    describe(e, entry, item);
    list.Set(i++, entry);
  }
  return list;
}

napi_value ElfPrograms(napi_env env, napi_callback_info info) {
  return List<bpf_program>(env, info, bpf_object__next_program, [](Napi::Env e, Napi::Object entry, bpf_program* prog) {
    entry.Set("name", Napi::String::New(e, bpf_program__name(prog)));
    entry.Set("section", Napi::String::New(e, bpf_program__section_name(prog)));
    entry.Set("type", Napi::Number::New(e, bpf_program__type(prog)));
    entry.Set("expectedAttachType", Napi::Number::New(e, bpf_program__expected_attach_type(prog)));
    entry.Set("autoload", Napi::Boolean::New(e, bpf_program__autoload(prog)));
    entry.Set("insnCount", Napi::Number::New(e, static_cast<double>(bpf_program__insn_cnt(prog))));
  });
}

napi_value ElfMaps(napi_env env, napi_callback_info info) {
  return List<bpf_map>(env, info, bpf_object__next_map, [](Napi::Env e, Napi::Object entry, bpf_map* map) {
    entry.Set("name", Napi::String::New(e, bpf_map__name(map)));
    entry.Set("type", Napi::Number::New(e, bpf_map__type(map)));
    entry.Set("keySize", Napi::Number::New(e, bpf_map__key_size(map)));
    entry.Set("valueSize", Napi::Number::New(e, bpf_map__value_size(map)));
    entry.Set("maxEntries", Napi::Number::New(e, bpf_map__max_entries(map)));
    entry.Set("flags", Napi::Number::New(e, bpf_map__map_flags(map)));
    entry.Set("internal", Napi::Boolean::New(e, bpf_map__is_internal(map)));
    // 0 until libbpf knows them: BTF-defined maps have them from open, internal maps from load.
    entry.Set("btfKeyTypeId", Napi::Number::New(e, bpf_map__btf_key_type_id(map)));
    entry.Set("btfValueTypeId", Napi::Number::New(e, bpf_map__btf_value_type_id(map)));
  });
}

// A setter that must run before load: -EBUSY afterwards, as libbpf itself answers.
template <typename Apply>
napi_value ProgramSetter(napi_env env, napi_callback_info info, const char* what, Apply apply) {
  napi_value argv[3];
  Named<bpf_program> prog;
  std::uint32_t value = 0;
  if (!ReadNamed(env, info, 3, argv, "program", &prog)) return nullptr;
  napi_valuetype type;
  napi_typeof(env, argv[2], &type);
  if (type == napi_boolean) {
    bool flag = false;
    napi_get_value_bool(env, argv[2], &flag);
    value = flag ? 1 : 0;
  } else if (!ReadU32(env, argv[2], what, &value)) {
    return nullptr;
  }
  if (prog.err == 0) prog.err = prog.object->loaded ? -EBUSY : apply(prog.item, value);
  return MakeInt(env, prog.err);
}

napi_value ElfProgramSetType(napi_env env, napi_callback_info info) {
  return ProgramSetter(env, info, "type", [](bpf_program* prog, std::uint32_t value) {
    return bpf_program__set_type(prog, static_cast<bpf_prog_type>(value));
  });
}

napi_value ElfProgramSetExpectedAttachType(napi_env env, napi_callback_info info) {
  return ProgramSetter(env, info, "expectedAttachType", [](bpf_program* prog, std::uint32_t value) {
    return bpf_program__set_expected_attach_type(prog, static_cast<bpf_attach_type>(value));
  });
}

napi_value ElfProgramSetAutoload(napi_env env, napi_callback_info info) {
  return ProgramSetter(env, info, "autoload",
                       [](bpf_program* prog, std::uint32_t value) { return bpf_program__set_autoload(prog, value != 0); });
}

napi_value ElfProgramSetAttachTarget(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Named<bpf_program> prog;
  int attach_fd = 0;
  std::string func;
  bool has_func = false;
  if (!ReadNamed(env, info, 4, argv, "program", &prog) || !ReadFd(env, argv[2], "attachProgFd", &attach_fd) ||
      !ReadString(env, argv[3], "funcName", kMaxNameBytes, true, &func, &has_func))
    return nullptr;
  std::string log;
  if (prog.err == 0 && prog.object->loaded) prog.err = -EBUSY;
  if (prog.err == 0) {
    ScopedCapture capture(&log);
    prog.err = bpf_program__set_attach_target(prog.item, attach_fd, has_func ? func.c_str() : nullptr);
  }
  return ErrnoLogResult(Napi::Env(env), prog.err, log);
}

napi_value ElfProgramInsns(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  Named<bpf_program> prog;
  if (!ReadNamed(env, info, 2, argv, "program", &prog)) return nullptr;
  if (prog.err != 0) return MakeInt(env, prog.err);
  const bpf_insn* insns = bpf_program__insns(prog.item);
  std::size_t count = bpf_program__insn_cnt(prog.item);
  if (insns == nullptr) count = 0;
  return Napi::Buffer<std::uint8_t>::Copy(Napi::Env(env), reinterpret_cast<const std::uint8_t*>(insns),
                                          count * sizeof(bpf_insn));
}

napi_value ElfMapSetMaxEntries(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Named<bpf_map> map;
  std::uint32_t value = 0;
  if (!ReadNamed(env, info, 3, argv, "map", &map) || !ReadU32(env, argv[2], "maxEntries", &value)) return nullptr;
  if (map.err == 0) map.err = map.object->loaded ? -EBUSY : bpf_map__set_max_entries(map.item, value);
  return MakeInt(env, map.err);
}

napi_value ElfMapSetInitialValue(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Named<bpf_map> map;
  Bytes bytes;
  if (!ReadNamed(env, info, 3, argv, "map", &map) || !ReadBytes(env, argv[2], "value", false, &bytes)) return nullptr;
  if (map.err == 0 && map.object->loaded) map.err = -EBUSY;
  // libbpf copies the bytes; it requires exactly the map's value size (EINVAL otherwise).
  if (map.err == 0) map.err = bpf_map__set_initial_value(map.item, bytes.data, bytes.length);
  return MakeInt(env, map.err);
}

napi_value ElfMapInitialValue(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  Named<bpf_map> map;
  if (!ReadNamed(env, info, 2, argv, "map", &map)) return nullptr;
  if (map.err != 0) return MakeInt(env, map.err);
  std::size_t size = 0;
  const void* value = bpf_map__initial_value(map.item, &size);
  if (value == nullptr) return MakeInt(env, -ENODATA);
  return Napi::Buffer<std::uint8_t>::Copy(Napi::Env(env), static_cast<const std::uint8_t*>(value), size);
}

// The object's BTF as libbpf holds it after open (DATASEC sizes and variable offsets already filled in).
napi_value ElfBtf(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!GetArgs(env, info, 1, argv)) return nullptr;
  ElfObject* object = ReadHandle(env, argv[0]);
  if (object == nullptr) return nullptr;
  const btf* types = bpf_object__btf(object->obj);
  if (types == nullptr) return MakeInt(env, -ENODATA);
  std::uint32_t size = 0;
  const void* raw = btf__raw_data(types, &size);
  if (raw == nullptr) return MakeInt(env, -ENOMEM);
  return Napi::Buffer<std::uint8_t>::Copy(Napi::Env(env), static_cast<const std::uint8_t*>(raw), size);
}

napi_value ElfLoad(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  std::uint32_t log_level = 0, log_size = 0;
  if (!GetArgs(env, info, 3, argv)) return nullptr;
  ElfObject* object = ReadHandle(env, argv[0]);
  if (object == nullptr || !ReadU32(env, argv[1], "logLevel", &log_level) ||
      !ReadU32(env, argv[2], "logSize", &log_size))
    return nullptr;
  if (log_level != 0 && (log_size < 128 || log_size > kMaxLogSize))
    return ThrowRangeError(env, "logSize", "must be in [128, 2^30) when a log level is set"), nullptr;
  if (object->loaded) return ErrnoLogResult(Napi::Env(env), -EBUSY, "the object is already loaded");

  // With a log level, each program gets its own buffer; without, libbpf loads silently and, on failure,
  // reloads the program at level 1 into a buffer of its own that it prints (captured into the log).
  bpf_program* prog;
  if (log_level != 0) {
    bpf_object__for_each_program(prog, object->obj) {
      if (!bpf_program__autoload(prog)) continue;
      object->log_bufs.emplace_back(new char[log_size]());
      bpf_program__set_log_buf(prog, object->log_bufs.back().get(), log_size);
      bpf_program__set_log_level(prog, log_level);
    }
  }
  std::string log;
  int err;
  {
    ScopedCapture capture(&log);
    // The verifier abandons a program with EAGAIN while a signal is pending (a profiler's SIGPROF, a
    // timer): hold signals off for the load, as for instruction loads and test runs.
    ScopedSignalBlock block(true);
    err = bpf_object__load(object->obj);
  }
  // libbpf refuses a second attempt on the same object whatever the outcome.
  object->loaded = true;
  Napi::Env e(env);
  Napi::Object result = ErrnoLogResult(e, err, log).As<Napi::Object>();
  Napi::Object logs = Napi::Object::New(e);
  if (log_level != 0) {
    bpf_object__for_each_program(prog, object->obj) {
      std::size_t size = 0;
      const char* text = bpf_program__log_buf(prog, &size);
      if (text != nullptr && size > 0) logs.Set(bpf_program__name(prog), Napi::String::New(e, text, strnlen(text, size)));
    }
  }
  result.Set("programLogs", logs);
  return result;
}

// A duplicate of the fd libbpf holds for the named program or map, which the caller then owns.
template <typename T>
napi_value DuplicateFd(napi_env env, napi_callback_info info, const char* what, int (*fd_of)(const T*)) {
  napi_value argv[2];
  Named<T> named;
  if (!ReadNamed(env, info, 2, argv, what, &named)) return nullptr;
  if (named.err != 0) return MakeInt(env, named.err);
  // libbpf answers a negative errno for a program that was not loaded (autoload off, or load failed).
  int fd = fd_of(named.item);
  if (fd < 0) return MakeInt(env, fd);
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  return MakeInt(env, copy < 0 ? -errno : copy);
}

napi_value ElfProgramFd(napi_env env, napi_callback_info info) {
  return DuplicateFd<bpf_program>(env, info, "program", bpf_program__fd);
}

napi_value ElfMapFd(napi_env env, napi_callback_info info) { return DuplicateFd<bpf_map>(env, info, "map", bpf_map__fd); }

napi_value ElfClose(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!GetArgs(env, info, 1, argv)) return nullptr;
  ElfObject* object = ReadHandle(env, argv[0], false);
  if (object == nullptr) return nullptr;
  object->Close();
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "elfOpen", ElfOpen);
  ExportFunction(env, exports, "elfInfo", ElfInfo);
  ExportFunction(env, exports, "elfPrograms", ElfPrograms);
  ExportFunction(env, exports, "elfMaps", ElfMaps);
  ExportFunction(env, exports, "elfProgramSetType", ElfProgramSetType);
  ExportFunction(env, exports, "elfProgramSetExpectedAttachType", ElfProgramSetExpectedAttachType);
  ExportFunction(env, exports, "elfProgramSetAutoload", ElfProgramSetAutoload);
  ExportFunction(env, exports, "elfProgramSetAttachTarget", ElfProgramSetAttachTarget);
  ExportFunction(env, exports, "elfProgramInsns", ElfProgramInsns);
  ExportFunction(env, exports, "elfMapSetMaxEntries", ElfMapSetMaxEntries);
  ExportFunction(env, exports, "elfMapSetInitialValue", ElfMapSetInitialValue);
  ExportFunction(env, exports, "elfMapInitialValue", ElfMapInitialValue);
  ExportFunction(env, exports, "elfBtf", ElfBtf);
  ExportFunction(env, exports, "elfLoad", ElfLoad);
  ExportFunction(env, exports, "elfProgramFd", ElfProgramFd);
  ExportFunction(env, exports, "elfMapFd", ElfMapFd);
  ExportFunction(env, exports, "elfClose", ElfClose);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
