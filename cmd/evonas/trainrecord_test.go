package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainReproducesRecord: train with a search record's genome
// (--lr-schedule included), the run's seed as --data-seed and the
// record's training seed as --seed gives the record's scores exactly.
func TestTrainReproducesRecord(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "cosine.yaml", `
data: {name: iris}
seed: 7
search_space:
  layers: {min: 1, max: 2}
  width: {min: 4, max: 16}
  dropout: {min: 0, max: 0.3}
  lr_schedule: [cosine]
  optimizers: [adam, sgd]
training: {epochs: 4, patience: 2}
evolution: {population: 4, generations: 1}
workers: 1
`)
	runDir := filepath.Join(dir, "run")
	mustRun(t, "evolve", "--config", cfg, "--out", runDir, "--quiet")
	f, err := os.Open(filepath.Join(runDir, "evaluations.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		t.Fatal("no record")
	}
	var rec struct {
		Genome struct {
			Layers []struct {
				Units      int
				Activation string
				Dropout    float64
			}
			LR        float64
			Batch     int
			Optimizer string
			Schedule  string `json:"lr_schedule"`
		}
		Val struct {
			Loss, Acc float64
		}
		Seed string
	}
	if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	var widths, acts, drops []string
	for _, l := range rec.Genome.Layers {
		widths = append(widths, fmt.Sprint(l.Units))
		acts = append(acts, l.Activation)
		drops = append(drops, fmt.Sprint(l.Dropout))
	}
	args := []string{"train", "--data", "iris", "--json", "--epochs", "4", "--patience", "2",
		"--hidden", strings.Join(widths, ","), "--activation", strings.Join(acts, ","), "--dropout", strings.Join(drops, ","),
		"--lr", fmt.Sprint(rec.Genome.LR), "--batch", fmt.Sprint(rec.Genome.Batch), "--optimizer", rec.Genome.Optimizer,
		"--lr-schedule", rec.Genome.Schedule, "--seed", rec.Seed, "--data-seed", "7"}
	var rep struct {
		ValLoss float64 `json:"val_loss"`
		ValAcc  float64 `json:"val_acc"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, args...)), &rep); err != nil {
		t.Fatal(err)
	}
	if rec.Genome.Schedule != "cosine" || rep.ValLoss != rec.Val.Loss || rep.ValAcc != rec.Val.Acc {
		t.Errorf("train %s: val loss %v, accuracy %v; want the record's (schedule %s) %v, %v",
			strings.Join(args[1:], " "), rep.ValLoss, rep.ValAcc, rec.Genome.Schedule, rec.Val.Loss, rec.Val.Acc)
	}

	constArgs := append(args[:len(args)-6:len(args)-6], "--lr-schedule", "const", "--seed", rec.Seed, "--data-seed", "7")
	if err := json.Unmarshal([]byte(mustRun(t, constArgs...)), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.ValLoss == rec.Val.Loss {
		t.Errorf("--lr-schedule const gives the cosine record's val loss %v: the flag changes nothing", rep.ValLoss)
	}

	_, stderr, code := evonas(t, "train", "--data", "iris", "--lr-schedule", "step")
	if code != exitUsage {
		t.Errorf("--lr-schedule step: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "--lr-schedule", `unknown learning rate schedule "step"`)
}
