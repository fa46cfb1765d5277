package configs

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// shipped holds the example configs that come with evonas.
//
//go:embed *.yaml
var shipped embed.FS

// Embedded returns the names of the shipped configs, without extension,
// sorted.
func Embedded() []string {
	entries, err := shipped.ReadDir(".")
	if err != nil {
		panic("configs: " + err.Error()) // the embedded directory always exists
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// ReadEmbedded returns the raw bytes of a shipped config, named with or
// without its ".yaml" extension ("default" or "default.yaml").
func ReadEmbedded(name string) ([]byte, error) {
	file := strings.TrimSuffix(name, ".yaml") + ".yaml"
	if !strings.ContainsAny(file, `/\`) {
		if data, err := shipped.ReadFile(file); err == nil {
			return data, nil
		}
	}
	return nil, &Error{File: name, Msg: "no such shipped config (shipped: " + strings.Join(Embedded(), ", ") + ")"}
}

// LoadNamed loads nameOrPath as a file if one exists there, and otherwise as
// the shipped config of that name. Errors name the file; when there is
// neither, the error lists the shipped configs.
func LoadNamed(nameOrPath string) (Config, error) {
	st, err := os.Stat(nameOrPath)
	if err == nil && !st.IsDir() || err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Load(nameOrPath)
	}
	data, rerr := ReadEmbedded(nameOrPath)
	if rerr != nil {
		return Config{}, &Error{File: nameOrPath, Msg: "no such file or shipped config (shipped: " + strings.Join(Embedded(), ", ") + ")"}
	}
	return Parse(data, strings.TrimSuffix(nameOrPath, ".yaml")+".yaml")
}
