// Package configs reads, checks and writes evonas run configurations.
//
// A configuration is a YAML mapping whose keys are those of [Config]. A file
// needs only the keys it changes: [Parse] starts from [Default] and lays the
// file over it, merging mappings key by key and replacing lists whole.
// Decoding is strict. An unknown key (with a suggestion when one is close), a
// duplicate key, a value of the wrong type and a value out of range are all
// errors of type [*Error], which names the file, the line and the dotted key
// in one line:
//
//	run.yaml:12: evolution.mutaton_rate: unknown key (did you mean mutation_rate?)
//	run.yaml:7: evolution.population: must be >= 2, got 0
//	run.yaml:9: search_space.layers: min 4 above max 2
//
// [Set] changes one dotted key from a string, for command-line overrides,
// with the same decoding rules; [Config.Validate] then checks the result.
// [Config.YAML] writes the effective configuration back out, and [InitText]
// a commented default for users to edit.
//
// A few example configurations are embedded in the binary; [Embedded] lists
// them and [LoadNamed] loads one by name or a file by path.
//
// The package knows names, not meanings: the genome, dataset and search
// packages decide what "relu" or "kmedoids" do. Besides the standard library
// and YAML it imports genome and search, only to turn a config into their
// settings ([Config.Space], [Config.Rates], [Config.Settings]).
package configs
