import { useSearchParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { SelectField } from '@/components/SelectField';
import { useAllExperts } from '../api/adminApi';

/** The expert an admin screen works on, kept in the URL (?expertId=); '' is the `none` choice. */
export function useExpertParam() {
  const [params, setParams] = useSearchParams();
  const choose = (id: string) => setParams(id ? { expertId: id } : {}, { replace: true, preventScrollReset: true });
  return [params.get('expertId') ?? '', choose] as const;
}

/** "Expert": every expert by name (and category), plus a first choice meaning none. */
export function ExpertPicker({ id, none }: { id: string; none: string }) {
  const [expertId, choose] = useExpertParam();
  const experts = useAllExperts();
  return (
    <>
      <SelectField id={id} label="Expert" fieldClassName="narrow" value={expertId} onValueChange={choose}>
        <option value="">{none}</option>
        {experts.data?.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name} · {x.category}
          </option>
        ))}
      </SelectField>
      {experts.isError && (
        <ErrorPanel title="We couldn't load experts" error={experts.error} onRetry={() => experts.refetch()} />
      )}
    </>
  );
}
