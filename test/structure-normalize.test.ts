import { describe, expect, it } from 'vitest';
import {
  archiveMark,
  canonicalAdminWords,
  issuerPlaces,
  normalizeMetadata,
  numberSeparator,
  placeNames,
  recipientLevel,
  reportMark,
  snapPlace,
  yearWord,
} from '../src/stages/structure/normalize.js';
import { linesFromText, parseStructure, parseTail, readPlaceDate } from '../src/stages/structure/index.js';
import { findCitations } from '../src/stages/structure/references.js';

// Inputs are lines as Tesseract read them from the fixture scans (fixtures/scans/*) and the seeds.
describe('header and footer normalisation', () => {
  it('spells administrative level words of an issuer line one way, only when OCR put a wrong mark on them', () => {
    expect(canonicalAdminWords('UBND TÍNH HÒA LÂM')).toBe('UBND TỈNH HÒA LÂM');
    expect(canonicalAdminWords('ỦY BAN NHÂN DÂN HUYẸN DIÊN KHÁNH')).toBe('ỦY BAN NHÂN DÂN HUYỆN DIÊN KHÁNH');
    // Text typed or read without any diacritics stays as it is.
    expect(canonicalAdminWords('UBND TINH KHANH HOA')).toBe('UBND TINH KHANH HOA');
    // THÀNH / PHỐ only as a pair; other capital words untouched.
    expect(canonicalAdminWords('TRƯỜNG THÁNH PHỐ')).toBe('TRƯỜNG THÀNH PHỐ');
    expect(canonicalAdminWords('SỞ NỘI VỤ')).toBe('SỞ NỘI VỤ');
  });

  it('reads the place of issue as the unit named in the issuer lines when OCR damaged a few letters', () => {
    const places = issuerPlaces(['ỦY BAN NHÂN DÂN', 'TỈNH HÒA LÂM']);
    expect(places).toEqual(['Hòa Lâm']);
    expect(snapPlace('Hòa Lũôm', places)).toEqual({ value: 'Hòa Lâm', rule: 'place-from-issuer' });
    expect(snapPlace('Hòa Làm', places)).toEqual({ value: 'Hòa Lâm', rule: 'place-from-issuer' });
    expect(snapPlace('Hòa Lâm', places)).toBeNull();
    // A place far from the issuer's unit is the printer's choice, not damage.
    expect(snapPlace('Nha Trang', issuerPlaces(['UBND TỈNH KHÁNH HÒA']))).toBeNull();
  });

  it('snaps a place to the known provinces and districts only for a misread mark or one letter', () => {
    expect(placeNames()).toContain('Khánh Hòa');
    expect(snapPlace('Khánh Hỏa', [])).toEqual({ value: 'Khánh Hòa', rule: 'place-from-list' });
    // A known place is never moved to a neighbour (Hà Nội is not Hà Nam).
    expect(snapPlace('Hà Nội', [])).toBeNull();
    expect(snapPlace('Xóm Mới', [])).toBeNull();
  });

  it('gives the number its `/` back, and leaves party numbers alone', () => {
    expect(numberSeparator('123-KH-SNV')).toBe('123/KH-SNV');
    expect(numberSeparator('91-KL/TU')).toBe('91-KL/TU');
    expect(numberSeparator('139/KH-CĐYT')).toBe('139/KH-CĐYT');
  });

  it('puts `năm` back before a year only where a marked word stands for it', () => {
    expect(yearWord('Tập huấn nghiệp vụ văn thư, lưu trữ và số hóa tài liệu năny 2026')).toBe(
      'Tập huấn nghiệp vụ văn thư, lưu trữ và số hóa tài liệu năm 2026',
    );
    expect(yearWord('kế hoạch năn 2025')).toBe('kế hoạch năm 2025');
    expect(yearWord('cai cach hanh chinh nim 2023')).toBe('cai cach hanh chinh nim 2023');
    expect(yearWord('từ tháng 3 đến nay 2026')).toBe('từ tháng 3 đến nay 2026');
    expect(yearWord('nâng cao năng 2026')).toBe('nâng cao năng 2026');
  });

  it('restores the fixed marks of the Nơi nhận list', () => {
    expect(reportMark('Bộ Nội vụ (b/©)')).toBe('Bộ Nội vụ (b/c)');
    expect(reportMark('Bộ Nội vụ (bíc)')).toBe('Bộ Nội vụ (b/c)');
    expect(reportMark('UBND tỉnh (b C):')).toBe('UBND tỉnh (b/c)');
    expect(reportMark('UBND tính (b C}')).toBe('UBND tính (b/c)');
    expect(reportMark('Như Điều 3 (VBĐT)')).toBe('Như Điều 3 (VBĐT)');
    expect(recipientLevel('UBND tính (b/c)')).toBe('UBND tỉnh (b/c)');
    expect(recipientLevel('UBND tinh')).toBe('UBND tinh');
    expect(archiveMark('Lưu VỀ, CCVTLT')).toBe('Lưu: VT, CCVTLT');
    expect(archiveMark('Lưu: VP, TH')).toBe('Lưu: VP, TH');
    expect(archiveMark('Lưu: VI, CCVILT')).toBe('Lưu: VT, CCVILT');
    expect(archiveMark('Lưu VT, DL, SNV. b')).toBe('Lưu VT, DL, SNV. b');
  });

  it('reads a date line with damaged words and digits, and says which digits it read back', () => {
    expect(readPlaceDate('Hòa Lâm, ngày 12 tháng 3 năn 2026')).toEqual({ place: 'Hòa Lâm', date: '2026-03-12' });
    expect(readPlaceDate('Khánh Hòa, ngày 1O tháng 02 năm 2O26')).toEqual({
      place: 'Khánh Hòa',
      date: '2026-02-10',
      digitsRead: 'ngày 1O tháng 02 năm 2O26',
    });
  });

  it('records every change in `normalized`, and adds nothing when there is none', () => {
    const out = normalizeMetadata({
      issuer: { name: 'SỞ NỘI VỤ', parent: 'UBND TÍNH HÒA LÂM' },
      motto: [],
      number: '123-KH-SNV',
      place: 'Hòa Lũôm',
      date: '2026-03-12',
      type: 'Kế hoạch',
      title: 'Tập huấn năny 2026',
      authority: null,
      attachedTo: null,
      recipients: ['UBND tỉnh (b/O)', 'Lưu: VT, CCVTLT'],
      signer: null,
    });
    expect(out.issuer).toEqual({ name: 'SỞ NỘI VỤ', parent: 'UBND TỈNH HÒA LÂM' });
    expect(out.place).toBe('Hòa Lâm');
    expect(out.normalized?.map((n) => `${n.field}:${n.rule}:${n.read}`)).toEqual([
      'issuer.parent:admin-level:UBND TÍNH HÒA LÂM',
      'number:number-separator:123-KH-SNV',
      'place:place-from-issuer:Hòa Lũôm',
      'title:year-word:Tập huấn năny 2026',
      'recipients[0]:report-mark:UBND tỉnh (b/O)',
    ]);
    const clean = normalizeMetadata({ ...out, normalized: undefined });
    expect(clean.normalized).toBeUndefined();
  });

  it('does not take a body sentence that cites a date for the place and date line', () => {
    // The header of the degraded fixture scan: the date line's `năm` read `năn`, then the body cites a decision.
    const s = parseStructure(
      linesFromText(
        [
          'UBND TÍNH HÒA LÂM',
          'SỞ NỘI VỤ',
          'Số: 123-KH-SNV',
          'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
          'Độc lập - Tự do - Hạnh phúc',
          'Hòa Lâm, ngày 12 tháng 3 năn 2026',
          'KE HOẠCH',
          'Tập huấn nghiệp vụ văn thư, lưu trữ và số hóa tài liệu năny 2026',
          'Thực hiện Quyết định số 456/QĐ-UBND ngày 05 tháng 3 năm 2026 của Ủy ban',
          'nhân dân tỉnh Hòa Lâm ban hành Kế hoạch chuyển đổi số trong công tác văn thư, lưu',
          'I. MỤC ĐÍCH, YÊU CẦU',
        ].join('\n'),
      ),
    );
    expect(s.metadata.place).toBe('Hòa Lâm');
    expect(s.metadata.date).toBe('2026-03-12');
    expect(s.metadata.number).toBe('123/KH-SNV');
    expect(s.metadata.title).toBe('Tập huấn nghiệp vụ văn thư, lưu trữ và số hóa tài liệu năm 2026');
  });

  it('reads the signer name under a stamp and a signature that left specks around it', () => {
    // The end of page 2 of the degraded fixture scan: the stamp and signature read as `.` and `AzVV,`.
    const tail = parseTail(
      linesFromText(['Nơi nhận:', '- UBND tính (b C};', '- Lưu VỀ, CCVTLT,', 'KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', '.', 'AzVV,', 'Nguyễn Thị Lan Anh.'].join('\n')),
    );
    expect(tail.signer).toEqual({ authority: 'KT. GIÁM ĐỐC', mode: 'KT', position: 'PHÓ GIÁM ĐỐC', name: 'Nguyễn Thị Lan Anh' });
    expect(tail.recipients).toEqual(['UBND tính (b C}', 'Lưu VỀ, CCVTLT']);
  });

  it('reads the kind code of a cited number one letter off as the code of the kind cited', () => {
    // Line 17 of the skewed Quyết định scan as read, with the date that wraps to the next line.
    const [c] = findCitations('Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 88/TTrF-SNV ngày 27 tháng 02 năm 2026.');
    expect(c).toMatchObject({ type: 'Tờ trình', number: '88/TTr-SNV', date: '2026-02-27' });
    expect(c.text).toContain('88/TTrF-SNV');
    expect(findCitations('Quyết định số 12/QD-UBND')[0].number).toBe('12/QD-UBND');
    expect(findCitations('Kết luận số 91-KL/TU')[0].number).toBe('91-KL/TU');
    // A code of another kind is what was printed.
    expect(findCitations('Tờ trình số 5/TB-UBND')[0].number).toBe('5/TB-UBND');
  });
});
