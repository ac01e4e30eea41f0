// Labelled uploads: a class from each file's folder or from its name, ids in a fixed order, and a
// clear refusal when a file names no class or only one class turns up.
import { describe, expect, it } from 'vitest';
import { classOfPath, joinClasses, labelUploads } from '../../runtime/data/upload-labels';
import { splitClasses } from '../../nodes/data';

describe('upload labels', () => {
  it('reads the class from the folder holding a file, else from the name up to its first underscore', () => {
    expect(classOfPath('pets/cats/01.png')).toBe('cats');
    expect(classOfPath('dogs\\rex_2.jpg')).toBe('dogs');
    expect(classOfPath('cat_01.png')).toBe('cat');
    expect(classOfPath('cat01.png')).toBeNull();
    expect(classOfPath('_01.png')).toBeNull();
  });

  it('numbers classes in sorted order, whatever order the files come in', () => {
    const a = labelUploads(['zebra_1.png', 'ant_1.png', 'zebra_2.png', 'moth_9.png']);
    expect(a.classes).toEqual(['ant', 'moth', 'zebra']);
    expect([...a.labels]).toEqual([2, 0, 2, 1]);
    const b = labelUploads(['moth_9.png', 'zebra_2.png', 'ant_1.png', 'zebra_1.png']);
    expect(b.classes).toEqual(a.classes);
    expect([...b.labels]).toEqual([1, 2, 0, 2]);
  });

  it('refuses files that name no class, naming them, and a single class', () => {
    expect(() => labelUploads(['cat_1.png', 'photo.png', 'IMG2.jpg'])).toThrow(/photo\.png, IMG2\.jpg: no class/);
    expect(() => labelUploads(['cat_1.png', 'cat_2.png'])).toThrow(/only the class "cat".*at least 2 classes/);
  });

  it('records the class names so that the node reads the same count back', () => {
    const names = ['a,b', 'plain', ' spaced '];
    expect(splitClasses(joinClasses(names))).toHaveLength(names.length);
    expect(splitClasses('')).toEqual([]);
  });
});
