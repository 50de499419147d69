#!/usr/bin/env bash
# Set everything up and run the main job on the project's own sample data.
# Results go to out/ (replaced on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
IDI=.venv/bin/idi
rm -rf out && mkdir -p out/timelines

$IDI rules list --format json > out/rules.json
$IDI rules list
for project in corpus/samples/project-*.yaml; do
    name=$(basename "$project" .yaml)
    $IDI timeline "$project" --format json -o "out/timelines/$name.json"
    $IDI timeline "$project" --format ics -o "out/timelines/$name.ics"
    $IDI timeline "$project" --format table -o "out/timelines/$name.txt"
done
$IDI timeline corpus/samples/project-shanghai.yaml

echo
echo "结果已写入 $(pwd)/out/："
echo "  out/rules.json                 全部规则包概要"
echo "  out/timelines/*.txt|json|ics   五个示例项目的合规时间表（表格、JSON、可导入日历的 ics）"
