#!/usr/bin/env bash
# Set everything up and run the main job on the project's own sample data:
# generate a packet of documents, check a folder of sample contracts, say where the results are.
# Results go to out/ (replaced on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
IDI=.venv/bin/idi
PROJECT=corpus/samples/project-shanghai.yaml
rm -rf out && mkdir -p out/timelines out/check

echo "== 规则包与合规时间表 =="
$IDI rules list --format json > out/rules.json
for project in corpus/samples/project-*.yaml; do
    name=$(basename "$project" .yaml)
    $IDI timeline "$project" --format json -o "out/timelines/$name.json"
    $IDI timeline "$project" --format ics -o "out/timelines/$name.ics"
    $IDI timeline "$project" --format table -o "out/timelines/$name.txt"
done

echo "== 生成文书：上海示例项目竣工交付阶段的全部文书（.docx 与 PDF） =="
$IDI generate --stage completion --data "$PROJECT" -o out/documents/completion --pdf
echo "== 生成文书：按业主名单每户一份保险告知书 =="
$IDI generate owner-notice --data "$PROJECT" --rows corpus/samples/owners-shanghai.csv \
    --name-column 户号 -o out/documents/owner-notices

echo "== 检查合同：73 份示例合同、保证书、保单与告知书（合规与各类缺陷版本，DOCX 与 PDF） =="
.venv/bin/python scripts/make_samples.py out/samples
echo "== 扫描件：两份上海预售合同盖章、倾斜后扫描（合规版与维修电话空白版），由 OCR 识别 =="
.venv/bin/python scripts/make_scans.py out/scans --samples out/samples \
    --only sh-presale-compliant sh-presale-repair-phone-blank
set +e
$IDI check out/samples/pdf out/scans -o out/check/report.html -o out/check/report.xlsx > out/check/results.txt
$IDI check out/samples/pdf out/scans --format json > out/check/results.json 2>/dev/null
set -e
grep "^共 " out/check/results.txt

echo
echo "结果已写入 $(pwd)/out/："
echo "  out/documents/completion/       竣工交付阶段的全部文书（.docx 与 .pdf）"
echo "  out/documents/owner-notices/    每户一份的保险告知书"
echo "  out/samples/{docx,pdf}/         被检查的示例合同（manifest.yaml 列出每份的预期结论）"
echo "  out/scans/                     两份扫描件（盖章、倾斜、JPEG），检查时经 OCR 识别"
echo "  out/check/report.html          检查报告（浏览器打开）：逐份、逐条的结论、证据与条文依据"
echo "  out/check/report.xlsx|results.txt|results.json  同一结果的表格、文本与 JSON 版本"
echo "  out/rules.json, out/timelines/  规则包概要与五个示例项目的合规时间表"
echo "浏览器界面：运行 .venv/bin/idi serve，然后打开 http://127.0.0.1:8765/ 拖入文件检查或填表生成文书"
