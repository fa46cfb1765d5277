// Package dataset loads tabular data and gets it ready for training: it reads
// CSV files, provides built-in datasets, detects the task, encodes and
// standardizes the inputs and splits rows into training, validation and test
// sets. It imports only the standard library.
//
// # Built-in datasets
//
// Load and LoadTable accept a built-in name before trying a file path;
// Builtins lists them. Generated sets depend on Options.Seed, Options.Rows
// (0 = the default size) and Options.Noise (0 = the default; negative is an
// error); their columns are x1, x2, ... and target, with classes "0" and "1":
//
//   - seed-sum: 10 features uniform on [0,1), class 1 when their sum
//     (plus gaussian noise with std Noise, default 0) exceeds 5; 1400 rows
//     split 1000/200/200 unless Options.Split says otherwise.
//   - xor: 2 features uniform on [-1,1] plus gaussian noise (default 0.1);
//     class 1 when the noiseless values differ in sign. 400 rows.
//   - spirals: two interleaved spirals of 1.5 turns and radius 1, plus
//     gaussian noise (default 0.05). 400 rows.
//   - moons: two interleaving half circles as scikit-learn's make_moons,
//     plus gaussian noise (default 0.1). 400 rows.
//   - circles: two concentric circles of radius 1 and 0.5 as scikit-learn's
//     make_circles, plus gaussian noise (default 0.1). 400 rows.
//
// The real sets iris, breast_cancer, digits, mnist10k, letter and satellite
// are embedded in the binary (see data/README.md for sources and licences)
// and parsed once per process; every caller shares the same *Table, which
// must not be modified. Options.Rows and Options.Noise must be zero for real
// data and files.
//
// # CSV files
//
// ReadCSV and ParseCSV read comma-separated text as encoding/csv does (RFC
// 4180 quoting, as R's write.csv writes it), gzip-compressed or not (gzip is
// recognised by its magic bytes). A UTF-8 byte order mark, CRLF line ends and
// blank lines are accepted. Fields are trimmed of surrounding white space.
// The first row is the header: names must be non-empty and unique. Every row
// must have as many fields as the header. A header of one field that holds
// a semicolon, a tab or a vertical bar is an error saying the file looks
// separated by it.
//
// The tokens "", "NA", "N/A" and "NaN" (the last in any case) mark a
// missing value, quoted or not. A column is numeric when each of its other values parses
// with strconv.ParseFloat to a finite number (Go forms such as 1_000 and
// 0x1p-2 included). Otherwise the Table holds the column's values as
// strings, with a missing value held as "". An empty file and a file with
// no data rows are errors. A column with no values at all is read as a
// numeric column of missing values: Prepare refuses it, and Transform if it
// is an input, so that rows to predict may leave the target empty, or a
// column the model does not use.
//
// Prepare reads a text column as numbers when more than half of its
// non-missing values are numbers (finite, or such as "Inf" and 1e999): a
// token in it that is not a finite number ("x", "Inf", "-inf", 1e999) is then
// an error naming its line and column, or, with Options.Missing "drop" or
// "mean", a missing value. A column with fewer numbers than that is
// categorical. Transform accepts the same values in a numeric input, so
// train and predict agree on what a number is. A text column whose values
// are more than half numbers once their commas are removed, one at least
// having had one (1,234 or 1,5: a thousands separator or a decimal comma,
// in a quoted field), is an error naming the first such value, whatever
// Options.Missing: read as text, it would be one category per value.
//
// # Prepare
//
// The target is Options.Target or, by default, the last column; every other
// column is an input.
//
// Missing values, in the target or in any input, are an error naming the
// first offending line and column unless Options.Missing is "drop", which
// drops those rows before splitting, or "mean", which fills a missing
// numeric input with the mean of the training split and a missing
// categorical input with the training split's most frequent category (the
// first in sorted order on a tie). "mean" does not impute a target: a
// missing target is an error unless Missing is "drop".
//
// Task detection: a categorical target, or a numeric one whose values are all
// integers with at most 20 distinct values, means classification, binary for
// two classes and multiclass for more; anything else means regression.
// Options.Task overrides detection: binary needs exactly two classes; binary
// or multiclass on a numeric target treats up to 1000 distinct values as
// classes; regression needs a numeric target. A target with a single class is
// an error. Classes are sorted: strings lexically, numbers numerically and
// labelled with strconv.FormatFloat(v, 'g', -1, 64).
//
// Split: Options.Split gives the train/validation/test fractions (default
// 0.7/0.15/0.15): each at least 0, train above 0, summing to 1. For
// classification the split is stratified: each class's rows are shuffled and
// dealt out in proportion to the fractions, so that every class puts at least
// one row into every split with a non-zero fraction (a class with too few
// rows is an error) and the split sizes total round(N*Train) and
// round(N*Val), give or take those one-row minimums, with test taking the
// rest. Regression splits one shuffled
// permutation the same way. Each split's rows are then shuffled. Everything
// random flows from Options.Seed: the same seed gives the same Data.
//
// Encoding: a numeric input becomes one feature standardized with the mean
// and population standard deviation of the training split only (a zero
// deviation gives scale 1, and a column of one value its value and scale 1
// even where its mean rounds). A categorical input becomes one 0/1 feature
// per category seen in the kept rows, in sorted order, named
// "column=category", and is not standardized. A regression target is standardized the same
// way; Preprocessor.TargetValue undoes it. A categorical input with more
// than 20 categories and more than half as many as the rows (an identifier
// or free text) is encoded all the same, and noted in Data.Notes. Values too large to standardize
// (around 1e154 and up) are an error.
//
// The Preprocessor in Data records all of this, survives a JSON round trip
// exactly, and encodes new rows with Transform; an unseen category encodes as
// all zeros. Transform does not impute: a missing value is an error.
//
// # Errors
//
// Every error caused by bad input, whether a malformed file, a bad value or
// options that do not fit the data, is an *InputError, possibly wrapped.
// Its text names the source and, where they apply, the line and column:
//
//	data.csv:17: column "age": missing value (drop or impute it: --missing drop|mean, or data.missing in a config)
//	data.csv: target column "foo" not found (columns: a, b, c)
//
// A file that does not exist is an *InputError wrapping the *fs.PathError,
// so errors.Is(err, fs.ErrNotExist) holds. Other I/O errors are returned as
// the os package reports them, and are not *InputError.
package dataset
