import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import type { Category } from '@/lib/types';

interface Props {
  search: string;
  onSearchChange: (value: string) => void;
  category: string;
  onCategoryChange: (value: string) => void;
  categories: Category[] | undefined;
}

export function ExpertFilters({ search, onSearchChange, category, onCategoryChange, categories }: Props) {
  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <TextField
        id="expert-search"
        label="Search by name"
        type="search"
        value={search}
        placeholder="e.g. Priya"
        autoComplete="off"
        onValueChange={onSearchChange}
      />
      <SelectField id="expert-category" label="Category" value={category} onValueChange={onCategoryChange}>
        <option value="">All categories</option>
        {categories?.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.count})
          </option>
        ))}
        {/* Keep a category from the URL selectable even before (or without) the list. */}
        {category && !categories?.some((c) => c.name === category) && <option value={category}>{category}</option>}
      </SelectField>
    </form>
  );
}
