package run

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/evonas/evonas/configs"
)

// resumable are the config keys a resume may change: they do not change
// what the evaluations already made mean.
var resumable = map[string]bool{
	"evolution.generations": true,
	"budget.evaluations":    true,
	"workers":               true,
	"stop.target_fitness":   true,
	"stop.no_improvement":   true,
}

// Resumable reports whether a resume may change the config key: it does
// not change what the evaluations already made mean.
func Resumable(key string) bool { return resumable[key] }

// ResumableKeys are the keys a resume may change, sorted.
func ResumableKeys() []string {
	var keys []string
	for k := range resumable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// SetResumable sets the keys of a resume's config, each KEY=VALUE as evonas
// resume's --set flags give them; a key a resume may not change is an
// InputError.
func SetResumable(cfg *configs.Config, sets []string) error {
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return inputf("--set %q: want KEY=VALUE", kv)
		}
		if !Resumable(k) {
			return inputf("--set %s: resume cannot change it (it changes the meaning of past evaluations); it may change %s", k, strings.Join(ResumableKeys(), ", "))
		}
		if err := configs.Set(cfg, k, v); err != nil {
			return inputf("--set: %v", err)
		}
	}
	return nil
}

// sameMeaning reports the first key, other than the resumable ones, whose
// value differs between the run's config and the one to resume with.
func sameMeaning(was, now configs.Config) error {
	a, err := flatConfig(was)
	if err != nil {
		return err
	}
	b, err := flatConfig(now)
	if err != nil {
		return err
	}
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !resumable[k] && a[k] != b[k] {
			return fmt.Errorf("%s changed from %s to %s since the run started; resume cannot change it (it changes the meaning of past evaluations): start a new run", k, a[k], b[k])
		}
	}
	return nil
}

// flatConfig maps every dotted key of a config to its value, as YAML.
func flatConfig(c configs.Config) (map[string]string, error) {
	b, err := c.YAML()
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(prefix, c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if prefix != "" {
					k = prefix + "." + k
				}
				walk(k, n.Content[i+1])
			}
		default:
			v, _ := yaml.Marshal(n)
			out[prefix] = strings.TrimSpace(string(v))
		}
	}
	walk("", &root)
	return out, nil
}

// ReadResumable reads the run.json of the run to resume in dir, after
// CheckResumable; a kind of run it cannot resume is an *InputError.
func ReadResumable(dir string) (*Info, error) {
	if err := CheckResumable(dir); err != nil {
		return nil, err
	}
	return ReadInfo(dir)
}

// CheckResumable says why the directory cannot be resumed when it holds a
// run on a tabular benchmark (evolve, random, compare or sweep with
// --table), and nil otherwise. Such a run looks its candidates up in a
// table and takes seconds: it writes its directory only once it has
// finished (its run.json aside, which names its table), so there is never a
// partial run to continue, and it keeps no state to extend (no
// checkpoint). Running its command again,
// with another budget if that was the point, gives the same results for
// the same seed.
func CheckResumable(dir string) error {
	var probe struct {
		Table   *string `json:"table"`
		Command string  `json:"command"`
	}
	if info, err := ReadInfo(dir); err == nil && info.Table != "" {
		// run.json is written first; a run killed before its summary
		// leaves only it.
		probe.Table, probe.Command = &info.Table, info.Command
	} else if b, err := os.ReadFile(filepath.Join(dir, SummaryFile)); err != nil {
		return nil
	} else if json.Unmarshal(b, &probe) != nil || probe.Table == nil {
		return nil
	}
	again := "run its command again into another directory (--out)"
	if probe.Command != "" {
		again += ": " + probe.Command
	}
	return inputf("%s is a run on table %s, which takes seconds and keeps no checkpoint: there is nothing to resume; to run it with another budget or more generations, %s", dir, *probe.Table, again)
}
